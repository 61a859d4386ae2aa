// Internal to the ZeroMQ transport (not part of the seam): the few
// operations its server and client sockets share. Functions that touch a
// socket may throw zmq::error_t; the public socket methods catch it.
#pragma once

#include <zmq.hpp>

#include <chrono>
#include <string>

#include "cluster/transport.h"

namespace driftline::cluster::zmq_internal {

// Maps a ZeroMQ/errno number to a Status naming `what` failed, e.g.
// ErrorStatus(EADDRINUSE, "bind tcp://127.0.0.1:5555") is Unavailable.
Status ErrorStatus(int errnum, const std::string& what);

// Sets high-water marks, max message size, linger, buffers and heartbeats
// on `socket`.
void ApplyOptions(zmq::socket_t& socket, const TransportOptions& options);

// Writes one multipart message without blocking: `peer` first when non-null
// (a ROUTER's routing frame), then `frames`, moved into ZeroMQ (large frames
// without a copy). Ok, Unavailable (EHOSTUNREACH: unknown peer on a ROUTER
// with ZMQ_ROUTER_MANDATORY) or ResourceExhausted (EAGAIN: high-water mark).
Status SendMultipart(zmq::socket_t& socket, const std::string* peer, Frames frames);

// Reads one whole multipart message if one is ready. Returns false when none
// is (nothing is consumed then).
bool TryReceiveMultipart(zmq::socket_t& socket, Frames* frames);

// zmq_poll for up to `timeout`; an interrupted poll (EINTR) reports nothing
// ready. Returns the number of ready items.
int Poll(zmq_pollitem_t* items, int count, std::chrono::milliseconds timeout);

}  // namespace driftline::cluster::zmq_internal
