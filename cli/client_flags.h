// Flags shared by the subcommands that talk to a running node (send,
// predict, model, status, stall): the node's endpoint and the request
// timeout, and connecting a Client (client/client.h) from them.
#pragma once

#include <memory>
#include <string>

#include "cli/flags.h"
#include "client/client.h"
#include "common/status.h"

namespace driftline {

// The node's default client endpoint (`driftline node --listen`).
inline constexpr char kDefaultNodeEndpoint[] = "tcp://127.0.0.1:7400";

// Declares --ENDPOINT_FLAG (default kDefaultNodeEndpoint) and --timeout-ms
// (default `default_timeout_ms`).
void AddNodeClientFlags(FlagParser& flags, const std::string& endpoint_flag,
                        int64_t default_timeout_ms = 5000);

// A Client for the flags declared by AddNodeClientFlags. InvalidArgument for
// a timeout outside 1..3600000 ms or a malformed endpoint.
Result<std::unique_ptr<Client>> ConnectFromFlags(const FlagParser& flags,
                                                 const std::string& endpoint_flag);

}  // namespace driftline
