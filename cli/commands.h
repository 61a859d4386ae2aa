// The table of `driftline` subcommands and the dispatcher that runs them.
//
// A subcommand is a function
//   int RunX(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);
// that gets the arguments after its name, writes results to `out` (stdout:
// data only, e.g. JSON Lines) and diagnostics to `err`, and returns an exit
// code (kExitOk, kExitFailure, kExitUsage). It must not throw, read the
// environment or touch std::cout/std::cerr directly, so tests can run it
// in-process.
//
// To add a subcommand: declare its Run function below, add one row to the
// table in cli/commands.cc, and add its source file to driftline_cli_commands
// in cli/CMakeLists.txt.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace driftline {

constexpr int kExitOk = 0;       // success (also: --help)
constexpr int kExitFailure = 1;  // bad input data, missing file, I/O error
constexpr int kExitUsage = 2;    // bad command line

using CommandFn = int (*)(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

struct Command {
  const char* name;     // the subcommand word, e.g. "convert"
  const char* summary;  // one line for `driftline --help`
  CommandFn run;
};

// Every subcommand, in the order `driftline --help` lists them.
std::vector<Command> AllCommands();

// Runs `driftline ARGS...` (argv without the program name) against `commands`:
// no arguments or --help lists the commands (exit 2 / 0), --version prints
// the version, an unknown subcommand is a one-line error (exit 2).
int RunDriftline(const std::vector<std::string>& argv, const std::vector<Command>& commands,
                 std::ostream& out, std::ostream& err);

// Prints "PROGRAM: MESSAGE" (plus " (try --help)" for kExitUsage) as one line
// to `err` and returns `code`.
int ReportFailure(std::ostream& err, const char* program, int code, const std::string& message);

// --- the subcommands -------------------------------------------------------

// cli/convert_command.cc: `driftline convert --from obd|movietweetings IN ...`
int RunConvert(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

// cli/train_command.cc: `driftline train --events FILE --until TS --out MODEL`
int RunTrain(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

// cli/node_command.cc: `driftline node --data-dir DIR [--listen EP]`
int RunNode(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

// cli/evaluate_command.cc: `driftline evaluate --model MODEL --events FILE --from TS`
int RunEvaluate(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

// cli/evaluate_policy_command.cc: `driftline evaluate-policy --log FILE --policy SPEC`
int RunEvaluatePolicy(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

// cli/send_command.cc: `driftline send --router EP FILE.jsonl`
int RunSend(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

// cli/predict_command.cc: `driftline predict --router EP --user U --candidates A,B`
int RunPredict(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

// cli/model_command.cc: `driftline model register|activate|rollback --node EP ...`
int RunModel(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

// cli/status_command.cc: `driftline status --node EP [--json]`
int RunStatus(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

// cli/stall_command.cc: `driftline stall --node EP --partition N --ms M`
int RunStall(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

// cli/forget_command.cc: `driftline forget --node EP --user U`
int RunForget(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace driftline
