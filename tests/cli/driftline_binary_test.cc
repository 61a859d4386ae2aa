// Runs the real `driftline` binary as a subprocess to check exit codes and
// that stdout carries only JSON Lines.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "common/child_process.h"

namespace {

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// A scratch directory removed at the end of the test.
struct TempDir {
  std::string path;
  TempDir() {
    char tmpl[] = "/tmp/driftline_cli_test_XXXXXX";
    const char* made = mkdtemp(tmpl);
    REQUIRE(made != nullptr);
    path = made;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
  std::string Write(const std::string& name, const std::string& content) const {
    std::string p = path + "/" + name;
    std::ofstream(p, std::ios::binary) << content;
    return p;
  }
};

struct Run {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs the binary (no shell), bounded in time; REQUIREs a normal exit.
Run Driftline(const std::vector<std::string>& args) {
  TempDir dir;
  std::vector<std::string> argv = {DRIFTLINE_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  auto code = driftline::RunToCompletion(argv, dir.path + "/out", dir.path + "/err",
                                         std::chrono::minutes(2));
  INFO(code.status().ToString());
  REQUIRE(code.ok());       // finished within its time (killed by pid otherwise)
  REQUIRE(*code < 128);     // never killed by a signal
  Run r;
  r.exit_code = *code;
  r.out = ReadAll(dir.path + "/out");
  r.err = ReadAll(dir.path + "/err");
  return r;
}

size_t CountLines(const std::string& s) {
  size_t n = 0;
  for (char c : s) n += c == '\n';
  return n;
}

const std::string kData = DRIFTLINE_DATA_DIR;

}  // namespace

TEST_CASE("driftline --help lists the convert subcommand and exits 0") {
  Run r = Driftline({"--help"});
  REQUIRE(r.exit_code == 0);
  REQUIRE(r.out.find("convert") != std::string::npos);
}

TEST_CASE("an unknown subcommand exits 2 with a one-line error") {
  Run r = Driftline({"frobnicate"});
  REQUIRE(r.exit_code == 2);
  REQUIRE(CountLines(r.err) == 1);
  REQUIRE(r.out.empty());
}

TEST_CASE("driftline convert --help prints usage and exits 0") {
  Run r = Driftline({"convert", "--help"});
  REQUIRE(r.exit_code == 0);
  REQUIRE(r.out.find("--skip-bad-lines") != std::string::npos);
}

TEST_CASE("convert with an unknown flag or a bad --from exits 2 naming it") {
  Run r = Driftline({"convert", "--frm", "obd", "x.csv"});
  REQUIRE(r.exit_code == 2);
  REQUIRE(r.err == "driftline convert: unknown flag --frm (try --help)\n");
  r = Driftline({"convert", "--from", "csv", "x.csv"});
  REQUIRE(r.exit_code == 2);
  REQUIRE(r.err.find("--from must be movietweetings or obd") != std::string::npos);
  r = Driftline({"convert", "--from", "obd"});
  REQUIRE(r.exit_code == 2);
  REQUIRE(r.err.find("missing argument IN") != std::string::npos);
}

TEST_CASE("convert of a missing file exits 1 with a one-line error") {
  Run r = Driftline({"convert", "--from", "movietweetings", "/nonexistent/ratings.dat"});
  REQUIRE(r.exit_code == 1);
  REQUIRE(r.err == "driftline convert: cannot open /nonexistent/ratings.dat: No such file or directory\n");
  REQUIRE(r.out.empty());
}

TEST_CASE("convert of an empty input exits 1") {
  TempDir dir;
  std::string ratings = dir.Write("ratings.dat", "");
  dir.Write("movies.dat", "0000001::A (2000)::Drama\n");
  Run r = Driftline({"convert", "--from", "movietweetings", ratings});
  REQUIRE(r.exit_code == 1);
  REQUIRE(r.err.find("no ratings found") != std::string::npos);
}

TEST_CASE("a bad line fails the conversion with FILE:LINE unless --skip-bad-lines") {
  TempDir dir;
  std::string ratings = dir.Write("ratings.dat", "1::0000001::8::100\nbroken line\n2::0000001::3::50\n");
  dir.Write("movies.dat", "0000001::A (2000)::Drama\n");
  Run r = Driftline({"convert", "--from", "movietweetings", ratings});
  REQUIRE(r.exit_code == 1);
  REQUIRE(r.err.find(ratings + ":2: expected user::movie::rating::timestamp") != std::string::npos);
  REQUIRE(r.out.empty());  // sorting needs all lines, so nothing was written

  r = Driftline({"convert", "--from", "movietweetings", ratings, "--skip-bad-lines"});
  REQUIRE(r.exit_code == 0);
  REQUIRE(r.out ==
          "{\"ts\":50000,\"user\":\"2\",\"item\":\"0000001\",\"label\":0,\"event_id\":\"mt:2:0000001\","
          "\"features\":{\"item\":{\"genre=Drama\":1,\"decade=2000s\":1}}}\n"
          "{\"ts\":100000,\"user\":\"1\",\"item\":\"0000001\",\"label\":1,\"event_id\":\"mt:1:0000001\","
          "\"features\":{\"item\":{\"genre=Drama\":1,\"decade=2000s\":1}}}\n");
  REQUIRE(r.err.find("skipped 1 bad line") != std::string::npos);
}

TEST_CASE("converting the real MovieTweetings data writes 50,000 lines of pure JSONL") {
  Run r = Driftline({"convert", "--from", "movietweetings", kData + "/movietweetings/ratings.dat"});
  REQUIRE(r.exit_code == 0);
  REQUIRE(CountLines(r.out) == 50000);
  REQUIRE(r.out.rfind("{\"ts\":1362062307000,", 0) == 0);
  REQUIRE(r.err.find("wrote 50000 events") != std::string::npos);
}

TEST_CASE("converting the real OBD bts/men log with an explicit --items writes 10,000 lines") {
  const std::string dir = kData + "/open_bandit_dataset/bts/men/";
  Run r = Driftline({"convert", "--from=obd", dir + "men.csv", "--items", dir + "item_context.csv"});
  REQUIRE(r.exit_code == 0);
  REQUIRE(CountLines(r.out) == 10000);
  REQUIRE(r.out.find("\"event_id\":\"obd:bts-men:9999\"") != std::string::npos);
}
