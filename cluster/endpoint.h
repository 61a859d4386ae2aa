// Endpoint strings, checked the same way by every transport before use:
// "tcp://host:port" (port 1-65535, or 0 / * for any free port on bind),
// "ipc://path", "inproc://name". ZeroMQ alone would accept some malformed
// ones (it wraps a tcp port of 99999 to 34463), so the seam checks first.
#pragma once

#include <string>

#include "common/status.h"

namespace driftline::cluster {

struct EndpointParts {
  std::string scheme;          // "tcp", "ipc" or "inproc"
  std::string address;         // everything after "://"
  bool wildcard_port = false;  // tcp port 0 or *: the system picks one
};

// InvalidArgument naming `verb endpoint` ("bind tcp://x: expected host:port")
// for anything else.
Result<EndpointParts> ParseEndpoint(const std::string& endpoint, const std::string& verb);

}  // namespace driftline::cluster
