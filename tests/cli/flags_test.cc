#include <catch2/catch.hpp>

#include <sstream>

#include "cli/flags.h"

using driftline::FlagParser;

namespace {

FlagParser MakeParser() {
  FlagParser f("driftline demo", "A demo command.");
  f.AddString("from", "FORMAT", "input format", "obd");
  f.AddInt("limit", "N", "max events", 10);
  f.AddDouble("rate", "R", "learning rate", 0.5);
  f.AddBool("skip-bad-lines", "skip bad lines");
  f.AddPositional("IN", "input file");
  f.AddPositional("OUT", "output file", /*required=*/false);
  return f;
}

std::string ErrorOf(const std::vector<std::string>& args) {
  FlagParser f = MakeParser();
  driftline::Status s = f.Parse(args);
  REQUIRE_FALSE(s.ok());
  return s.message();
}

}  // namespace

TEST_CASE("flags keep their defaults when not given") {
  FlagParser f = MakeParser();
  REQUIRE(f.Parse({"in.csv"}).ok());
  REQUIRE(f.GetString("from") == "obd");
  REQUIRE(f.GetInt("limit") == 10);
  REQUIRE(f.GetDouble("rate") == 0.5);
  REQUIRE_FALSE(f.GetBool("skip-bad-lines"));
  REQUIRE_FALSE(f.IsSet("from"));
  REQUIRE(f.positional() == std::vector<std::string>{"in.csv"});
}

TEST_CASE("flags accept both --flag value and --flag=value") {
  FlagParser f = MakeParser();
  REQUIRE(f.Parse({"--from", "movietweetings", "--limit=-3", "in", "--rate", "1e-2", "out"}).ok());
  REQUIRE(f.GetString("from") == "movietweetings");
  REQUIRE(f.IsSet("from"));
  REQUIRE(f.GetInt("limit") == -3);
  REQUIRE(f.GetDouble("rate") == 0.01);
  REQUIRE(f.positional() == std::vector<std::string>{"in", "out"});
}

TEST_CASE("bool switches need no value but accept true or false after =") {
  FlagParser f = MakeParser();
  REQUIRE(f.Parse({"--skip-bad-lines", "in"}).ok());
  REQUIRE(f.GetBool("skip-bad-lines"));
  REQUIRE(f.Parse({"--skip-bad-lines=false", "in"}).ok());
  REQUIRE_FALSE(f.GetBool("skip-bad-lines"));
  REQUIRE(ErrorOf({"--skip-bad-lines=maybe", "in"}) == "flag --skip-bad-lines expects true or false, got 'maybe'");
}

TEST_CASE("a value may be empty with = and the last repeated flag wins") {
  FlagParser f = MakeParser();
  REQUIRE(f.Parse({"--from=", "--limit", "1", "--limit", "2", "in"}).ok());
  REQUIRE(f.GetString("from").empty());
  REQUIRE(f.GetInt("limit") == 2);
}

TEST_CASE("a double dash ends the flags and a lone dash is positional") {
  FlagParser f = MakeParser();
  REQUIRE(f.Parse({"--", "--limit"}).ok());
  REQUIRE(f.positional() == std::vector<std::string>{"--limit"});
  REQUIRE(f.Parse({"-"}).ok());
  REQUIRE(f.positional() == std::vector<std::string>{"-"});
}

TEST_CASE("unknown flags, missing values and bad numbers are one-line errors naming the flag") {
  REQUIRE(ErrorOf({"--nope", "in"}) == "unknown flag --nope");
  REQUIRE(ErrorOf({"--nope=1", "in"}) == "unknown flag --nope");
  REQUIRE(ErrorOf({"-x", "in"}) == "unknown flag -x");
  REQUIRE(ErrorOf({"in", "--from"}) == "flag --from needs a value (FORMAT)");
  REQUIRE(ErrorOf({"--limit", "ten", "in"}) == "flag --limit expects an integer, got 'ten'");
  REQUIRE(ErrorOf({"--limit=5x", "in"}) == "flag --limit expects an integer, got '5x'");
  REQUIRE(ErrorOf({"--limit=99999999999999999999", "in"}).find("expects an integer") != std::string::npos);
  REQUIRE(ErrorOf({"--rate", "fast", "in"}) == "flag --rate expects a number, got 'fast'");
  REQUIRE(ErrorOf({"--rate=inf", "in"}) == "flag --rate expects a number, got 'inf'");
}

TEST_CASE("missing and extra positional arguments are errors") {
  REQUIRE(ErrorOf({}) == "missing argument IN");
  REQUIRE(ErrorOf({"a", "b", "c"}) == "unexpected argument 'c'");
}

TEST_CASE("--help prints usage listing every flag with its default and exits 0") {
  FlagParser f = MakeParser();
  std::ostringstream out, err;
  auto code = f.ParseOrExit({"--limit", "bad", "--help"}, out, err);
  // --limit bad is reported before --help is reached.
  REQUIRE(code == 2);
  out.str("");
  err.str("");
  code = f.ParseOrExit({"--help"}, out, err);
  REQUIRE(code == 0);
  REQUIRE(err.str().empty());
  const std::string usage = out.str();
  REQUIRE(usage.find("usage: driftline demo [flags] IN [OUT]") == 0);
  REQUIRE(usage.find("--limit N") != std::string::npos);
  REQUIRE(usage.find("(default: 10)") != std::string::npos);
  REQUIRE(usage.find("--skip-bad-lines") != std::string::npos);
  REQUIRE(f.help_requested());
}

TEST_CASE("ParseOrExit reports an error in one line and returns exit code 2") {
  FlagParser f = MakeParser();
  std::ostringstream out, err;
  REQUIRE(f.ParseOrExit({"--bogus"}, out, err) == 2);
  REQUIRE(err.str() == "driftline demo: unknown flag --bogus (try --help)\n");
  REQUIRE(out.str().empty());
  REQUIRE_FALSE(f.ParseOrExit({"x"}, out, err).has_value());
}
