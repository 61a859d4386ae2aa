#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include "cli/convert_movietweetings.h"
#include "protocol/event_jsonl.h"

using namespace driftline;

namespace {

const char kMovies[] =
    "0004936::The Bank (1915)::Comedy|Short\n"
    "0052854::Goha (1958)::\n"
    "0133093::The Matrix (1999)::Action|Sci-Fi\n";

MovieCatalog Catalog(const std::string& text = kMovies) {
  std::istringstream in(text);
  ConvertStats stats;
  auto r = ReadMovieCatalog(in, "movies.dat", ConvertOptions(), &stats);
  REQUIRE(r.ok());
  return *r;
}

struct Converted {
  Status status;
  std::vector<Event> events;
  ConvertStats stats;
};

Converted Convert(const std::string& ratings, bool skip = false) {
  Converted c;
  std::istringstream in(ratings);
  ConvertOptions options;
  options.skip_bad_lines = skip;
  c.status = ConvertMovieTweetings(in, "ratings.dat", Catalog(), options,
                                   [&c](const Event& e) {
                                     c.events.push_back(e);
                                     return Status::Ok();
                                   },
                                   &c.stats);
  return c;
}

}  // namespace

TEST_CASE("movies.dat gives genres in order and the year, and empty genre lists are allowed") {
  MovieCatalog m = Catalog();
  REQUIRE(m.size() == 3);
  REQUIRE(m.at("0133093").genres == std::vector<std::string>{"Action", "Sci-Fi"});
  REQUIRE(m.at("0133093").year == 1999);
  REQUIRE(m.at("0052854").genres.empty());
}

TEST_CASE("a rating becomes an event with label rating >= 8 and item features") {
  Converted c = Convert("42::0133093::8::1362062307\n");
  REQUIRE(c.status.ok());
  REQUIRE(c.events.size() == 1);
  REQUIRE(FormatEventLine(c.events[0]) ==
          R"({"ts":1362062307000,"user":"42","item":"0133093","label":1,"event_id":"mt:42:0133093",)"
          R"("features":{"item":{"genre=Action":1,"genre=Sci-Fi":1,"decade=1990s":1}}})");
}

TEST_CASE("a movie without genres has only its decade and an unknown movie has no features") {
  Converted c = Convert("1::0052854::7::10\n2::9999999::10::20\n");
  REQUIRE(c.status.ok());
  REQUIRE(c.events[0].label == 0);
  REQUIRE(c.events[0].features ==
          FeatureSet{FeatureNamespace{"item", {Feature{"decade=1950s", 1.0}}}});
  REQUIRE(c.events[1].features.empty());
}

TEST_CASE("events are sorted by time with ties kept in line order") {
  Converted c = Convert("1::0004936::5::300\n2::0004936::5::100\n3::0004936::5::300\n4::0004936::5::200\n");
  REQUIRE(c.status.ok());
  std::vector<std::string> users;
  for (const Event& e : c.events) users.push_back(e.user);
  REQUIRE(users == std::vector<std::string>{"2", "4", "1", "3"});
}

TEST_CASE("a malformed rating line is an error naming file and line") {
  Converted c = Convert("1::0004936::5::300\n1::0004936::11::300\n");
  REQUIRE_FALSE(c.status.ok());
  REQUIRE(c.status.message() == "ratings.dat:2: rating must be an integer 0..10, got '11'");
  REQUIRE(Convert("1::x::5::3\n").status.message() == "ratings.dat:1: movie must be digits, got 'x'");
  REQUIRE(Convert("1::1::5\n").status.message().find("ratings.dat:1: expected user::movie::rating::timestamp") == 0);
  REQUIRE(Convert("1::1::5::-3\n").status.message().find("timestamp must be unix seconds") != std::string::npos);
  REQUIRE(Convert("1::1::5::99999999999999999\n").status.message().find("timestamp") != std::string::npos);
}

TEST_CASE("with skip-bad-lines malformed lines are counted and skipped") {
  Converted c = Convert("junk\n1::0004936::5::300\n\n1::0004936::x::300\n", true);
  REQUIRE(c.status.ok());
  REQUIRE(c.events.size() == 1);
  REQUIRE(c.stats.skipped_lines == 2);
  REQUIRE(c.stats.first_skipped_error.find("ratings.dat:1: ") == 0);
}

TEST_CASE("an empty ratings input is an error") {
  REQUIRE(Convert("").status.message() == "ratings.dat: no ratings found");
  REQUIRE(Convert("junk\n", true).status.message() == "ratings.dat: no ratings found");
}

TEST_CASE("a malformed movies line is an error naming file and line") {
  std::istringstream in("0004936::The Bank (1915)::Comedy\nnot a movie\n");
  ConvertStats stats;
  auto r = ReadMovieCatalog(in, "movies.dat", ConvertOptions(), &stats);
  REQUIRE_FALSE(r.ok());
  REQUIRE(r.status().message().find("movies.dat:2: expected movie::title::genres") == 0);
}

TEST_CASE("the real MovieTweetings 50K snapshot gives 50,000 time-sorted events, 50.8 percent positive") {
  const std::string dir = std::string(DRIFTLINE_DATA_DIR) + "/movietweetings/";
  std::ifstream movies_in(dir + "movies.dat");
  std::ifstream ratings_in(dir + "ratings.dat");
  REQUIRE(movies_in.is_open());
  REQUIRE(ratings_in.is_open());
  ConvertStats stats;
  auto movies = ReadMovieCatalog(movies_in, "movies.dat", ConvertOptions(), &stats);
  REQUIRE(movies.ok());
  REQUIRE(movies->size() == 7505);
  std::vector<Event> events;
  Status s = ConvertMovieTweetings(ratings_in, "ratings.dat", *movies, ConvertOptions(),
                                   [&events](const Event& e) {
                                     events.push_back(e);
                                     return Status::Ok();
                                   },
                                   &stats);
  REQUIRE(s.ok());
  REQUIRE(events.size() == 50000);
  REQUIRE(stats.events == 50000);
  int64_t positives = 0;
  size_t with_features = 0;
  for (size_t i = 0; i < events.size(); ++i) {
    if (i > 0) REQUIRE(events[i - 1].ts_ms <= events[i].ts_ms);
    positives += *events[i].label;
    with_features += events[i].features.empty() ? 0 : 1;
    auto again = ParseEventLine(FormatEventLine(events[i]));
    REQUIRE(again.ok());
    REQUIRE(*again == events[i]);
  }
  REQUIRE(positives == 25412);  // 50.8 %
  REQUIRE(with_features == 50000);
  REQUIRE(events.front().ts_ms == 1362062307000);
  REQUIRE(events.back().ts_ms == 1370373608000);
}
