// A fresh directory under /tmp for one test, removed with its contents on
// destruction, and helpers to run a subcommand in-process.
#pragma once

#include <sstream>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "tests/support/temp_dir.h"

namespace driftline::testing {


struct CommandOutput {
  int code = 0;
  std::string out;
  std::string err;
};

inline CommandOutput RunCommand(CommandFn fn, const std::vector<std::string>& args) {
  std::ostringstream out, err;
  CommandOutput r;
  r.code = fn(args, out, err);
  r.out = out.str();
  r.err = err.str();
  return r;
}

std::string ReadFile(const std::string& path);
void WriteFile(const std::string& path, const std::string& bytes);

// data/movietweetings converted to events in `dir`; returns the file's path.
std::string MovieTweetingsEvents(const TempDir& dir);

}  // namespace driftline::testing
