#include "cli/client_flags.h"

namespace driftline {

void AddNodeClientFlags(FlagParser& flags, const std::string& endpoint_flag,
                        int64_t default_timeout_ms) {
  flags.AddString(endpoint_flag, "ENDPOINT", "the node's client endpoint", kDefaultNodeEndpoint);
  flags.AddInt("timeout-ms", "MS", "how long to wait for each reply", default_timeout_ms);
}

Result<std::unique_ptr<Client>> ConnectFromFlags(const FlagParser& flags,
                                                 const std::string& endpoint_flag) {
  const int64_t timeout = flags.GetInt("timeout-ms");
  if (timeout < 1 || timeout > 3'600'000) {
    return Status::InvalidArgument("--timeout-ms must be in 1..3600000");
  }
  const std::string& endpoint = flags.GetString(endpoint_flag);
  if (endpoint.empty()) return Status::InvalidArgument("--" + endpoint_flag + " is required");
  ClientOptions options;
  options.request_timeout = std::chrono::milliseconds(timeout);
  auto client = Client::Connect(endpoint, options);
  if (!client.ok()) {
    return Status::InvalidArgument("--" + endpoint_flag + ": " + client.status().message());
  }
  return client;
}

}  // namespace driftline
