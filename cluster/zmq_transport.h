// The ZeroMQ Transport: servers are ROUTER sockets, clients DEALER sockets,
// over any endpoint ZeroMQ accepts (tcp://, ipc://, inproc://).
//
// Each transport owns its own zmq::context_t (shared with the sockets it
// made, so sockets may outlive it): two transports in one process are
// independent, and inproc:// endpoints are visible only within one transport.
// Every zmq::error_t is caught at this boundary and becomes a Status.
//
// Behaviour on errors (beyond the contract in cluster/transport.h):
//  * A frame over TransportOptions::max_frame_bytes sent by a remote peer
//    makes ZeroMQ drop that peer's connection (tcp/ipc; not checked on
//    inproc). The server keeps serving everyone else; the client's DEALER
//    reconnects by itself and appears as a new peer.
//  * A reply to an unknown or disconnected peer is refused by
//    ZMQ_ROUTER_MANDATORY: Unavailable when written by the sending thread,
//    else dropped and counted in ServerSocket::stats().
//  * Messages a client sends before its server is bound wait in ZeroMQ's
//    queue (up to the high-water mark) and are delivered once it is.
//  * Frames of 33 bytes or more arrive 8-byte misaligned in memory on tcp and
//    ipc; Frames are std::string copies, so readers that need alignment
//    (Cap'n Proto) copy into an aligned buffer, as protocol/codec.h does.
#pragma once

#include <memory>

#include "cluster/transport.h"

namespace driftline::cluster {

std::unique_ptr<Transport> MakeZmqTransport(const TransportOptions& options = {});

}  // namespace driftline::cluster
