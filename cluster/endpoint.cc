#include "cluster/endpoint.h"

#include <algorithm>
#include <cctype>

namespace driftline::cluster {
namespace {

bool AllDigits(const std::string& s) {
  return !s.empty() &&
         std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c) != 0; });
}

}  // namespace

Result<EndpointParts> ParseEndpoint(const std::string& endpoint, const std::string& verb) {
  const auto invalid = [&](const std::string& why) {
    return Status::InvalidArgument(verb + " " + endpoint + ": " + why);
  };
  const size_t sep = endpoint.find("://");
  if (sep == std::string::npos) return invalid("expected scheme://address");
  EndpointParts parts{endpoint.substr(0, sep), endpoint.substr(sep + 3), false};
  if (parts.scheme != "tcp" && parts.scheme != "ipc" && parts.scheme != "inproc") {
    return invalid("unsupported scheme '" + parts.scheme + "' (tcp, ipc, inproc)");
  }
  if (parts.address.empty()) return invalid("empty address");
  if (parts.scheme != "tcp") return parts;
  const size_t colon = parts.address.rfind(':');
  if (colon == std::string::npos || colon == 0) return invalid("expected host:port");
  const std::string port = parts.address.substr(colon + 1);
  if (port == "*") {
    parts.wildcard_port = true;
  } else if (!AllDigits(port) || port.size() > 5 || std::stoi(port) > 65535) {
    return invalid("bad port '" + port + "'");
  } else {
    parts.wildcard_port = std::stoi(port) == 0;
  }
  return parts;
}

}  // namespace driftline::cluster
