#include <catch2/catch.hpp>

#include <sstream>

#include "cli/commands.h"

using driftline::Command;
using driftline::RunDriftline;

namespace {

int EchoCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream&) {
  for (const std::string& a : args) out << a << ";";
  return 7;
}

std::vector<Command> TestTable() { return {{"echo", "print the arguments", EchoCommand}}; }

}  // namespace

TEST_CASE("the dispatcher runs the named subcommand with the remaining arguments") {
  std::ostringstream out, err;
  REQUIRE(RunDriftline({"echo", "a", "--b"}, TestTable(), out, err) == 7);
  REQUIRE(out.str() == "a;--b;");
}

TEST_CASE("--help lists every subcommand with its summary and exits 0") {
  std::ostringstream out, err;
  REQUIRE(RunDriftline({"--help"}, TestTable(), out, err) == 0);
  REQUIRE(out.str().find("echo") != std::string::npos);
  REQUIRE(out.str().find("print the arguments") != std::string::npos);
}

TEST_CASE("an unknown subcommand is a one-line error with exit code 2") {
  std::ostringstream out, err;
  REQUIRE(RunDriftline({"frobnicate"}, TestTable(), out, err) == 2);
  REQUIRE(err.str() == "driftline: unknown command 'frobnicate' (try driftline --help)\n");
  REQUIRE(out.str().empty());
}

TEST_CASE("no arguments print the command list on stderr with exit code 2") {
  std::ostringstream out, err;
  REQUIRE(RunDriftline({}, TestTable(), out, err) == 2);
  REQUIRE(err.str().find("echo") != std::string::npos);
}

TEST_CASE("the real command table registers convert") {
  bool found = false;
  for (const Command& c : driftline::AllCommands()) found = found || std::string(c.name) == "convert";
  REQUIRE(found);
}
