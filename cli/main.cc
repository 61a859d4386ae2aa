// The `driftline` binary: turns argv into strings and dispatches to the
// subcommand table (cli/commands.h). The only place that sees std::cout,
// std::cerr and the process environment.
#include <exception>
#include <iostream>
#include <string>
#include <vector>

#include "cli/commands.h"

int main(int argc, char** argv) {
  std::ios::sync_with_stdio(false);
  std::vector<std::string> args(argv + 1, argv + argc);
  try {
    int code = driftline::RunDriftline(args, driftline::AllCommands(), std::cout, std::cerr);
    std::cout.flush();
    return code;
  } catch (const std::exception& e) {  // a bug: say so in one line, no stack trace
    std::cerr << "driftline: internal error: " << e.what() << "\n";
    return driftline::kExitFailure;
  }
}
