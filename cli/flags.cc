// FlagParser. See cli/flags.h.
#include "cli/flags.h"

#include <cassert>
#include <charconv>
#include <cmath>
#include <sstream>

namespace driftline {
namespace {

std::string FormatDouble(double d) {
  char buf[64];
  std::to_chars_result r = std::to_chars(buf, buf + sizeof(buf), d);
  return std::string(buf, r.ptr);
}

}  // namespace

FlagParser::FlagParser(std::string program, std::string summary)
    : program_(std::move(program)), summary_(std::move(summary)) {}

void FlagParser::Declare(const std::string& name, Flag flag) {
  assert(flags_.count(name) == 0 && name != "help");
  flag.text = flag.default_text;
  flags_[name] = std::move(flag);
  order_.push_back(name);
}

void FlagParser::AddString(const std::string& name, const std::string& value_name,
                           const std::string& help, const std::string& default_value) {
  Flag f;
  f.kind = Kind::kString;
  f.value_name = value_name;
  f.help = help;
  f.default_text = default_value;
  Declare(name, std::move(f));
}

void FlagParser::AddInt(const std::string& name, const std::string& value_name,
                        const std::string& help, int64_t default_value) {
  Flag f;
  f.kind = Kind::kInt;
  f.value_name = value_name;
  f.help = help;
  f.default_text = std::to_string(default_value);
  f.int_value = default_value;
  Declare(name, std::move(f));
}

void FlagParser::AddDouble(const std::string& name, const std::string& value_name,
                           const std::string& help, double default_value) {
  Flag f;
  f.kind = Kind::kDouble;
  f.value_name = value_name;
  f.help = help;
  f.default_text = FormatDouble(default_value);
  f.double_value = default_value;
  Declare(name, std::move(f));
}

void FlagParser::AddBool(const std::string& name, const std::string& help) {
  Flag f;
  f.kind = Kind::kBool;
  f.help = help;
  f.default_text = "false";
  Declare(name, std::move(f));
}

void FlagParser::AddPositional(const std::string& name, const std::string& help, bool required) {
  assert(!required || positional_specs_.empty() || positional_specs_.back().required);
  positional_specs_.push_back(Positional{name, help, required});
}

Status FlagParser::SetValue(const std::string& name, Flag* flag, const std::string& value) {
  const std::string shown = "--" + name;
  switch (flag->kind) {
    case Kind::kString: break;
    case Kind::kInt: {
      int64_t v = 0;
      const char* end = value.data() + value.size();
      std::from_chars_result r = std::from_chars(value.data(), end, v);
      if (value.empty() || r.ec != std::errc() || r.ptr != end) {
        return Status::InvalidArgument("flag " + shown + " expects an integer, got '" + value + "'");
      }
      flag->int_value = v;
      break;
    }
    case Kind::kDouble: {
      double v = 0;
      const char* end = value.data() + value.size();
      std::from_chars_result r = std::from_chars(value.data(), end, v);
      if (value.empty() || r.ec != std::errc() || r.ptr != end || !std::isfinite(v)) {
        return Status::InvalidArgument("flag " + shown + " expects a number, got '" + value + "'");
      }
      flag->double_value = v;
      break;
    }
    case Kind::kBool:
      if (value == "true" || value == "1") {
        flag->bool_value = true;
      } else if (value == "false" || value == "0") {
        flag->bool_value = false;
      } else {
        return Status::InvalidArgument("flag " + shown + " expects true or false, got '" + value + "'");
      }
      break;
  }
  flag->text = value;
  flag->set = true;
  return Status::Ok();
}

Status FlagParser::Parse(const std::vector<std::string>& args) {
  positional_.clear();
  help_requested_ = false;
  bool flags_done = false;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (flags_done || arg == "-" || arg.empty() || arg[0] != '-') {
      positional_.push_back(arg);
      continue;
    }
    if (arg == "--") {
      flags_done = true;
      continue;
    }
    if (arg == "--help" || arg == "-h") {
      help_requested_ = true;
      return Status::Ok();
    }
    if (arg.compare(0, 2, "--") != 0) return Status::InvalidArgument("unknown flag " + arg);
    size_t eq = arg.find('=');
    std::string name = arg.substr(2, eq == std::string::npos ? std::string::npos : eq - 2);
    auto it = flags_.find(name);
    if (it == flags_.end()) return Status::InvalidArgument("unknown flag --" + name);
    Flag& flag = it->second;
    if (eq != std::string::npos) {
      DRIFTLINE_RETURN_IF_ERROR(SetValue(name, &flag, arg.substr(eq + 1)));
    } else if (flag.kind == Kind::kBool) {
      DRIFTLINE_RETURN_IF_ERROR(SetValue(name, &flag, "true"));
    } else {
      if (i + 1 >= args.size()) {
        return Status::InvalidArgument("flag --" + name + " needs a value (" + flag.value_name + ")");
      }
      DRIFTLINE_RETURN_IF_ERROR(SetValue(name, &flag, args[++i]));
    }
  }
  size_t required = 0;
  for (const Positional& p : positional_specs_) required += p.required ? 1 : 0;
  if (positional_.size() < required) {
    return Status::InvalidArgument("missing argument " + positional_specs_[positional_.size()].name);
  }
  if (positional_.size() > positional_specs_.size()) {
    return Status::InvalidArgument("unexpected argument '" + positional_[positional_specs_.size()] + "'");
  }
  return Status::Ok();
}

std::optional<int> FlagParser::ParseOrExit(const std::vector<std::string>& args, std::ostream& out,
                                           std::ostream& err) {
  Status s = Parse(args);
  if (!s.ok()) {
    err << program_ << ": " << s.message() << " (try --help)\n";
    return 2;
  }
  if (help_requested_) {
    out << Usage();
    return 0;
  }
  return std::nullopt;
}

const FlagParser::Flag& FlagParser::Get(const std::string& name, Kind kind) const {
  auto it = flags_.find(name);
  assert(it != flags_.end() && it->second.kind == kind);
  (void)kind;
  return it->second;
}

const std::string& FlagParser::GetString(const std::string& name) const {
  return Get(name, Kind::kString).text;
}
int64_t FlagParser::GetInt(const std::string& name) const { return Get(name, Kind::kInt).int_value; }
double FlagParser::GetDouble(const std::string& name) const {
  return Get(name, Kind::kDouble).double_value;
}
bool FlagParser::GetBool(const std::string& name) const { return Get(name, Kind::kBool).bool_value; }

bool FlagParser::IsSet(const std::string& name) const {
  auto it = flags_.find(name);
  return it != flags_.end() && it->second.set;
}

std::string FlagParser::Usage() const {
  std::ostringstream u;
  u << "usage: " << program_;
  if (!order_.empty()) u << " [flags]";
  for (const Positional& p : positional_specs_) u << (p.required ? " " + p.name : " [" + p.name + "]");
  u << "\n\n" << summary_ << "\n";
  if (!positional_specs_.empty()) {
    u << "\narguments:\n";
    for (const Positional& p : positional_specs_) u << "  " << p.name << "\n      " << p.help << "\n";
  }
  u << "\nflags:\n";
  for (const std::string& name : order_) {
    const Flag& f = flags_.at(name);
    u << "  --" << name;
    if (f.kind != Kind::kBool) u << " " << f.value_name;
    u << "\n      " << f.help;
    if (f.kind != Kind::kBool && !f.default_text.empty()) u << " (default: " << f.default_text << ")";
    u << "\n";
  }
  u << "  --help\n      print this help and exit\n";
  return u.str();
}

Status FlagParser::RequireStrings(std::initializer_list<const char*> names) const {
  for (const char* name : names) {
    if (GetString(name).empty()) return Status::InvalidArgument(std::string("--") + name + " is required");
  }
  return Status::Ok();
}

}  // namespace driftline
