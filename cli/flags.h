// A small command-line flag parser for driftline's subcommands.
//
//   FlagParser flags("driftline convert", "Turn a public dataset into an event stream.");
//   flags.AddString("from", "FORMAT", "obd or movietweetings", "");
//   flags.AddBool("skip-bad-lines", "count and skip malformed lines");
//   flags.AddPositional("IN", "the input file");
//   if (std::optional<int> exit_code = flags.ParseOrExit(args, out, err)) return *exit_code;
//   std::string from = flags.GetString("from");
//
// Syntax: `--name value`, `--name=value`, bool switches `--name` (or
// `--name=true|false`), `--help`/`-h`, `--` ends the flags. Anything else not
// starting with '-' (and "-" itself) is positional. The last occurrence of a
// repeated flag wins.
// Errors (unknown flag, missing value, bad integer or number, missing or extra
// positional) are one-line InvalidArgument messages naming the flag.
//
// Thread safety: a FlagParser is a plain single-threaded object.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "common/status.h"

namespace driftline {

class FlagParser {
 public:
  // `program` is shown in usage and errors ("driftline convert").
  FlagParser(std::string program, std::string summary);

  // Declares a flag. Names are given without "--". REQUIRES: each name once.
  void AddString(const std::string& name, const std::string& value_name, const std::string& help,
                 const std::string& default_value);
  void AddInt(const std::string& name, const std::string& value_name, const std::string& help,
              int64_t default_value);
  void AddDouble(const std::string& name, const std::string& value_name, const std::string& help,
                 double default_value);
  void AddBool(const std::string& name, const std::string& help);  // default false
  // Declares the next positional argument. Required ones must precede optional ones.
  void AddPositional(const std::string& name, const std::string& help, bool required = true);

  // Parses `args` (without the program and subcommand names). On success the
  // values are available through the getters; help_requested() tells whether
  // --help was seen (then nothing else is validated).
  Status Parse(const std::vector<std::string>& args);
  bool help_requested() const { return help_requested_; }

  // Parse + the standard reactions: on --help prints Usage() to `out` and
  // returns 0; on an error prints "PROGRAM: MESSAGE (try --help)" to `err`
  // and returns 2; returns nullopt when the command should go on.
  std::optional<int> ParseOrExit(const std::vector<std::string>& args, std::ostream& out,
                                 std::ostream& err);

  // REQUIRES: `name` was declared with the matching type.
  const std::string& GetString(const std::string& name) const;
  int64_t GetInt(const std::string& name) const;
  double GetDouble(const std::string& name) const;
  bool GetBool(const std::string& name) const;
  // InvalidArgument "--NAME is required" for the first string flag in `names`
  // whose value is empty. REQUIRES: each was declared with AddString.
  Status RequireStrings(std::initializer_list<const char*> names) const;
  // True when the flag appeared on the command line.
  bool IsSet(const std::string& name) const;
  // The positional arguments given, in order (optional ones may be absent).
  const std::vector<std::string>& positional() const { return positional_; }

  // Multi-line usage text: synopsis, summary, positionals and flags with defaults.
  std::string Usage() const;

 private:
  enum class Kind { kString, kInt, kDouble, kBool };
  struct Flag {
    Kind kind = Kind::kString;
    std::string value_name;
    std::string help;
    std::string default_text;
    std::string text;     // current value as given
    int64_t int_value = 0;
    double double_value = 0.0;
    bool bool_value = false;
    bool set = false;
  };
  struct Positional {
    std::string name;
    std::string help;
    bool required = true;
  };

  void Declare(const std::string& name, Flag flag);
  Status SetValue(const std::string& name, Flag* flag, const std::string& value);
  const Flag& Get(const std::string& name, Kind kind) const;

  std::string program_;
  std::string summary_;
  std::map<std::string, Flag> flags_;
  std::vector<std::string> order_;  // declaration order, for Usage()
  std::vector<Positional> positional_specs_;
  std::vector<std::string> positional_;
  bool help_requested_ = false;
};

}  // namespace driftline
