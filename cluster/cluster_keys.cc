#include "cluster/cluster_keys.h"

namespace driftline::cluster_keys {

Status ValidateName(std::string_view what, std::string_view name) {
  if (name.empty() || name.size() > 64) {
    return Status::InvalidArgument(std::string(what) + " must have 1 to 64 characters, got " +
                                   std::to_string(name.size()));
  }
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == '-';
    if (!ok) {
      return Status::InvalidArgument(std::string(what) + " '" + std::string(name) +
                                     "' may hold only letters, digits, '.', '_' and '-'");
    }
  }
  return Status::Ok();
}

}  // namespace driftline::cluster_keys
