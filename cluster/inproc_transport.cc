#include "cluster/inproc_transport.h"

#include "cluster/inproc_network.h"
#include "cluster/inproc_sockets.h"

namespace driftline::cluster {

InProcTransport::InProcTransport(uint64_t seed, const TransportOptions& options)
    : network_(std::make_shared<InProcNetwork>(seed, options)) {}

InProcTransport::~InProcTransport() = default;

Result<std::unique_ptr<ServerSocket>> InProcTransport::Bind(const std::string& endpoint) {
  return InProcServerSocket::Bind(network_, endpoint);
}

Result<std::unique_ptr<ClientSocket>> InProcTransport::Connect(const std::string& endpoint) {
  return InProcClientSocket::Connect(network_, endpoint);
}

void InProcTransport::SetDropProbability(double probability) {
  network_->SetDropProbability(probability);
}

void InProcTransport::SetDelay(std::chrono::milliseconds min, std::chrono::milliseconds max) {
  network_->SetDelay(min, max);
}

void InProcTransport::SetReorder(bool reorder) { network_->SetReorder(reorder); }

void InProcTransport::Cut(const std::string& endpoint, bool cut) { network_->Cut(endpoint, cut); }

InProcCounters InProcTransport::counters() const { return network_->counters(); }

}  // namespace driftline::cluster
