// The watch stream of the etcd client (internal to cluster/): one thread per
// watch reading /v3/watch, resuming after a lost stream from the next
// revision, on the next endpoint.
#pragma once

#include <memory>
#include <string>

#include "cluster/etcd_client.h"
#include "cluster/etcd_http.h"

namespace driftline::etcd_internal {

// REQUIRES: `pool` outlives the watch.
Result<std::unique_ptr<EtcdWatch>> StartWatch(HttpPool& pool, const std::string& key,
                                              const WatchOptions& options,
                                              EtcdClient::EventsCallback on_events,
                                              EtcdClient::ErrorCallback on_error);

}  // namespace driftline::etcd_internal
