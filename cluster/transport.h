// The transport seam: every byte between driftline processes passes through
// these three interfaces. Implementations: ZeroMQ (cluster/zmq_transport.h,
// the only code that sees zmq.h) and an in-process twin with fault injection
// for tests (cluster/inproc_transport.h). See docs/transport.md.
//
// Model: request/reply over many peers. A ServerSocket (ROUTER semantics) is
// bound to an endpoint and talks to many ClientSockets (DEALER semantics);
// each message is a multipart `Frames`, and the server addresses a reply to the
// `peer` it got a request from. Delivery is best effort, in order per
// client/server pair unless a fault injector says otherwise; nothing here
// retries.
//
// Errors are values: no method throws. Endpoint strings look like ZeroMQ's:
// "tcp://127.0.0.1:5555", "tcp://127.0.0.1:0" (any free port; see
// ServerSocket::endpoint()), "ipc:///tmp/x.sock", "inproc://name".
//
// Ownership: the factory returns sockets as unique_ptr; a socket may outlive
// the Transport that made it (implementations share their context).
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "common/status.h"

namespace driftline::cluster {

// One multipart message: each string is one frame, any bytes (NULs included),
// empty frames allowed.
using Frames = std::vector<std::string>;

// A message received by a server, with the opaque identity of the client that
// sent it (binary bytes; pass it back to ServerSocket::Send unchanged).
struct Envelope {
  std::string peer;
  Frames frames;
};

// Options shared by every implementation (each one says which it honours).
struct TransportOptions {
  // Messages queued per peer before sends to that peer fail (ZMQ_SNDHWM /
  // ZMQ_RCVHWM). Default: 10000 each (ZeroMQ's own default is 1000).
  int send_high_water_mark = 10000;
  int receive_high_water_mark = 10000;

  // Largest accepted frame in bytes. Sending a larger frame returns
  // ResourceExhausted locally; a remote peer that sends one anyway has its
  // connection dropped by ZeroMQ (ZMQ_MAXMSGSIZE, tcp/ipc only).
  // -1 means no limit. Default: 64 MiB.
  int64_t max_frame_bytes = int64_t{64} << 20;

  // How long Close waits to flush unsent messages (ZMQ_LINGER).
  // Default: 0 (unsent messages are discarded on close).
  std::chrono::milliseconds linger{0};

  // Kernel socket buffer sizes in bytes (ZMQ_RCVBUF / ZMQ_SNDBUF);
  // 0 keeps the operating system's default. Default: 0.
  int receive_buffer_bytes = 0;
  int send_buffer_bytes = 0;

  // Replies a ServerSocket holds for its Receive thread before Send returns
  // ResourceExhausted (see ServerSocket::Send). Default: 100000.
  size_t max_queued_replies = 100000;

  // Dead-peer detection on a live-looking connection (a stopped process, a
  // cut link: no TCP close arrives). Every heartbeat_interval a side sends a
  // ping; a connection with no traffic at all for heartbeat_timeout is
  // dropped (ZMQ_HEARTBEAT_IVL / _TIMEOUT / _TTL, tcp/ipc), and a client then
  // reports the loss (ClientSocket::Receive). A process killed outright is
  // seen at once from the TCP close, without waiting for this.
  // 0 turns heartbeats off. Default: 1000 ms interval, 10000 ms timeout.
  std::chrono::milliseconds heartbeat_interval{1000};
  std::chrono::milliseconds heartbeat_timeout{10000};
};

// What happened to the replies of one ServerSocket.
struct ServerSocketStats {
  uint64_t replies_sent = 0;                // handed to the network
  uint64_t replies_dropped_unroutable = 0;  // unknown or disconnected peer
  uint64_t replies_dropped_queue_full = 0;  // the peer's high-water mark was hit
};

// ROUTER semantics: one bound endpoint, many peers.
//
// Threading:
//  * Receive is called by ONE thread at a time (the "receive thread"; a server
//    normally runs it in a loop). A concurrent second call returns
//    FailedPrecondition.
//  * Send is thread-safe: any thread may call it at any time, including while
//    the receive thread is blocked in Receive.
//  * Close and stats are thread-safe.
//  * REQUIRES: no thread is inside Receive when the socket is destroyed.
class ServerSocket {
 public:
  virtual ~ServerSocket() = default;

  // Waits up to `timeout` for the next message from any peer.
  // Returns DeadlineExceeded on timeout (timeout 0 polls once), Unavailable
  // once the socket is closed (also for a Receive blocked when Close is
  // called from another thread: it returns promptly).
  // While it waits, the calling thread also writes the replies other threads
  // queued with Send, so replies leave within microseconds of Send.
  virtual Result<Envelope> Receive(std::chrono::milliseconds timeout) = 0;

  // Sends `frames` to `peer`. REQUIRES nothing about the calling thread.
  // InvalidArgument if `frames` is empty; ResourceExhausted if a frame is
  // larger than TransportOptions::max_frame_bytes or too many replies are
  // queued; Unavailable after Close.
  // An unknown or disconnected peer, or a full per-peer queue, gives
  // Unavailable / ResourceExhausted when the implementation can tell
  // synchronously (in-process twin: always; ZeroMQ: when no thread is inside
  // Receive at that moment, so the reply is written by the caller). Otherwise
  // the reply was queued for the receive thread, Send returns Ok, and a reply
  // that then cannot be routed is dropped and counted in stats().
  virtual Status Send(const std::string& peer, Frames frames) = 0;

  // The endpoint actually bound: for "tcp://127.0.0.1:0" it carries the port
  // the system chose ("tcp://127.0.0.1:41237"). Connect clients to this.
  virtual std::string endpoint() const = 0;

  // Counts every reply that left or was dropped, whether or not Send could
  // report the error.
  virtual ServerSocketStats stats() const = 0;

  // Unbinds and releases the socket; later calls return Unavailable.
  // Idempotent; safe from any thread.
  virtual void Close() = 0;
};

// DEALER semantics: one connection to a server. Single-threaded: its owner is
// the only thread that calls it (hand it over with proper synchronisation).
class ClientSocket {
 public:
  virtual ~ClientSocket() = default;

  // Queues `frames` for the server and returns without waiting for delivery.
  // InvalidArgument if `frames` is empty; ResourceExhausted if a frame is
  // larger than max_frame_bytes or the send queue is at its high-water mark;
  // Unavailable after Close. Ok does not mean the server got it.
  virtual Status Send(Frames frames) = 0;

  // Waits up to `timeout` for the next message from the server.
  // DeadlineExceeded on timeout; Unavailable after Close.
  //
  // Lost connections: when an established connection to the server drops
  // (the server process died or closed its socket, or heartbeats went
  // unanswered), messages sent on it may never have arrived and their replies
  // never will. Receive then returns Unavailable "lost the connection to EP"
  // instead of waiting out `timeout`: at once if the loss happened before the
  // call, else as soon as it is seen. Each loss is reported once, after the
  // messages that arrived before it; the socket keeps reconnecting, and later
  // sends are delivered once the server is back. A server that was never
  // reached (not started yet) is not a loss: Receive times out as before.
  virtual Result<Frames> Receive(std::chrono::milliseconds timeout) = 0;

  // Idempotent.
  virtual void Close() = 0;
};

// Factory of sockets. Thread-safe: any thread may Bind and Connect.
class Transport {
 public:
  virtual ~Transport() = default;

  // Binds a new server socket. InvalidArgument for a malformed endpoint or an
  // unsupported scheme; Unavailable when the address is in use or cannot be
  // bound. The message names the endpoint.
  virtual Result<std::unique_ptr<ServerSocket>> Bind(const std::string& endpoint) = 0;

  // Connects a new client socket. Connecting is asynchronous: a server that
  // is not there yet is not an error (see each implementation for what
  // happens to messages sent meanwhile). InvalidArgument for a malformed
  // endpoint.
  virtual Result<std::unique_ptr<ClientSocket>> Connect(const std::string& endpoint) = 0;
};

}  // namespace driftline::cluster
