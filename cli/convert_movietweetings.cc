// See cli/convert_movietweetings.h.
#include "cli/convert_movietweetings.h"

#include <algorithm>

#include "cli/text_fields.h"

namespace driftline {
namespace {

bool AllDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// The year in a title ending with "(YYYY)", or 0.
int YearFromTitle(std::string_view title) {
  if (title.size() < 6 || title.back() != ')') return 0;
  std::string_view tail = title.substr(title.size() - 6);
  if (tail[0] != '(' || !AllDigits(tail.substr(1, 4))) return 0;
  return static_cast<int>(*ParseInt64(tail.substr(1, 4)));
}

// Parses one movies.dat line into *id and *info; returns an error message or "".
std::string ParseMovieLine(std::string_view line, std::string* id, MovieInfo* info) {
  size_t first = line.find("::");
  size_t last = line.rfind("::");
  if (first == std::string_view::npos || first == last) {
    return "expected movie::title::genres, got " + Quoted(line);
  }
  std::string_view movie = line.substr(0, first);
  if (!AllDigits(movie)) return "movie id must be digits, got " + Quoted(movie);
  *id = std::string(movie);
  info->year = YearFromTitle(line.substr(first + 2, last - first - 2));
  std::string_view genres = line.substr(last + 2);
  if (!genres.empty()) {
    for (std::string_view g : SplitOn(genres, "|")) {
      if (g.empty()) return "empty genre in " + Quoted(genres);
      info->genres.emplace_back(g);
    }
  }
  return "";
}

struct Rating {
  int64_t ts_ms = 0;
  int64_t line_index = 0;
  Event event;
};

// Parses one ratings.dat line; returns an error message or "".
std::string ParseRatingLine(std::string_view line, const MovieCatalog& movies, Rating* out) {
  std::vector<std::string_view> f = SplitOn(line, "::");
  if (f.size() != 4) return "expected user::movie::rating::timestamp, got " + Quoted(line);
  if (!AllDigits(f[0])) return "user must be digits, got " + Quoted(f[0]);
  if (!AllDigits(f[1])) return "movie must be digits, got " + Quoted(f[1]);
  std::optional<int64_t> rating = AllDigits(f[2]) ? ParseInt64(f[2]) : std::nullopt;
  if (!rating || *rating > 10) return "rating must be an integer 0..10, got " + Quoted(f[2]);
  std::optional<int64_t> seconds = AllDigits(f[3]) ? ParseInt64(f[3]) : std::nullopt;
  // Bound the timestamp so that seconds * 1000 cannot overflow (year < 10000).
  if (!seconds || *seconds > 253402300799) return "timestamp must be unix seconds, got " + Quoted(f[3]);

  Event& e = out->event;
  e.ts_ms = *seconds * 1000;
  e.user = std::string(f[0]);
  e.item = std::string(f[1]);
  e.label = *rating >= 8 ? 1 : 0;
  e.event_id = "mt:" + e.user + ":" + e.item;
  auto it = movies.find(e.item);
  if (it != movies.end()) {
    FeatureNamespace ns{"item", {}};
    for (const std::string& g : it->second.genres) ns.features.push_back(Feature{"genre=" + g, 1.0});
    if (it->second.year > 0) {
      ns.features.push_back(Feature{"decade=" + std::to_string(it->second.year / 10 * 10) + "s", 1.0});
    }
    if (!ns.features.empty()) e.features.push_back(std::move(ns));
  }
  out->ts_ms = e.ts_ms;
  return "";
}

}  // namespace

Result<MovieCatalog> ReadMovieCatalog(std::istream& in, const std::string& name,
                                      const ConvertOptions& options, ConvertStats* stats) {
  MovieCatalog catalog;
  LineReader reader(in, options.max_line_bytes);
  std::string line;
  bool too_long = false;
  while (reader.Next(&line, &too_long)) {
    if (line.empty() && !too_long) continue;
    std::string id;
    MovieInfo info;
    std::string error = too_long ? "line too long" : ParseMovieLine(line, &id, &info);
    if (error.empty() && !catalog.emplace(id, std::move(info)).second) error = "movie " + id + " listed twice";
    if (!error.empty()) DRIFTLINE_RETURN_IF_ERROR(stats->Reject(options, name, reader.line_number(), error));
  }
  if (in.bad()) return Status::IoError(name + ": read failed");
  return catalog;
}

Status ConvertMovieTweetings(std::istream& ratings, const std::string& name,
                             const MovieCatalog& movies, const ConvertOptions& options,
                             const EventSink& sink, ConvertStats* stats) {
  std::vector<Rating> rows;
  LineReader reader(ratings, options.max_line_bytes);
  std::string line;
  bool too_long = false;
  while (reader.Next(&line, &too_long)) {
    if (line.empty() && !too_long) continue;
    Rating r;
    r.line_index = reader.line_number() - 1;
    std::string error = too_long ? "line too long" : ParseRatingLine(line, movies, &r);
    if (error.empty()) {
      rows.push_back(std::move(r));
    } else {
      DRIFTLINE_RETURN_IF_ERROR(stats->Reject(options, name, reader.line_number(), error));
    }
  }
  if (ratings.bad()) return Status::IoError(name + ": read failed");
  if (rows.empty()) return Status::InvalidArgument(name + ": no ratings found");
  std::stable_sort(rows.begin(), rows.end(),
                   [](const Rating& a, const Rating& b) { return a.ts_ms < b.ts_ms; });
  for (const Rating& r : rows) {
    DRIFTLINE_RETURN_IF_ERROR(sink(r.event));
    ++stats->events;
  }
  return Status::Ok();
}

}  // namespace driftline
