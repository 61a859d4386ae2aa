#include "learning/online_options_fingerprint.h"

#include <cstdio>
#include <map>
#include <sstream>

namespace driftline {
namespace {

std::string Exact(double v) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

void AddFtrl(std::ostringstream& out, const char* name, const FtrlOptions& f) {
  out << name << ".alpha=" << Exact(f.alpha) << "\n"
      << name << ".beta=" << Exact(f.beta) << "\n"
      << name << ".l1=" << Exact(f.l1) << "\n"
      << name << ".l2=" << Exact(f.l2) << "\n";
}

std::map<std::string, std::string> Lines(const std::string& fingerprint) {
  std::map<std::string, std::string> out;
  std::istringstream in(fingerprint);
  std::string line;
  while (std::getline(in, line)) {
    const size_t eq = line.find('=');
    if (eq == std::string::npos) continue;
    out[line.substr(0, eq)] = line.substr(eq + 1);
  }
  return out;
}

}  // namespace

std::string OnlineOptionsFingerprint(const OnlineOptions& o) {
  std::ostringstream out;
  out << "delta_bits=" << o.delta_bits << "\n";
  AddFtrl(out, "user_ftrl", o.user_ftrl);
  AddFtrl(out, "arm_ftrl", o.arm_ftrl);
  out << "pending_ttl_ms=" << o.pending_ttl_ms << "\n"
      << "default_label=" << (o.default_label ? std::to_string(*o.default_label) : "none") << "\n"
      << "max_pending=" << o.max_pending << "\n"
      << "replay_capacity=" << o.replay_capacity << "\n"
      << "replay_per_update=" << o.replay_per_update << "\n"
      << "dedup_window=" << o.dedup_window << "\n"
      << "linear_dim=" << o.linear_dim << "\n"
      << "linear_ridge=" << Exact(o.linear_ridge) << "\n"
      << "max_event_skew_ms=" << o.max_event_skew_ms << "\n";
  // Written only when set, so that data dirs made before the option existed
  // (which never evicted) keep their fingerprint under the default.
  if (o.state_ttl_ms != 0) out << "state_ttl_ms=" << o.state_ttl_ms << "\n";
  return out.str();
}

Status CheckOnlineOptionsFingerprint(const std::string& stored, const std::string& current,
                                     const std::string& where) {
  if (stored == current) return Status::Ok();
  const auto before = Lines(stored);
  const auto now = Lines(current);
  std::string diff;
  auto add = [&](const std::string& name, const std::string& was, const std::string& is) {
    diff += (diff.empty() ? "" : "; ") + name + " was " + was + " in " + where + ", now " + is;
  };
  for (const auto& [name, value] : now) {
    auto it = before.find(name);
    if (it == before.end()) {
      add(name, "absent", value);
    } else if (it->second != value) {
      add(name, it->second, value);
    }
  }
  for (const auto& [name, value] : before) {
    if (!now.count(name)) add(name, value, "absent");
  }
  if (diff.empty()) diff = "the options fingerprint differs from " + where + "'s";
  return Status::FailedPrecondition(
      "online options differ from the ones this state was learned with: " + diff +
      " (restart with the same options, or reset the online state)");
}

}  // namespace driftline
