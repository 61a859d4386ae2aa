// The binary codec: plain structs <-> Cap'n Proto bytes (protocol/driftline.capnp).
// This is the only public door to the wire and storage formats; no generated
// type appears here, and only protocol/codec_*.cc include generated headers.
//
// Encoding never fails and does not validate: the receiver does.
//
// Decoding takes untrusted bytes. It never crashes, never throws, and never
// allocates more than a small multiple of DecodeLimits: it refuses bytes over
// max_bytes before copying them into an aligned buffer (ZeroMQ delivers
// misaligned frames, so any alignment is accepted), reads them with Cap'n
// Proto's traversal and nesting limits, and turns every failure into a Status
// with a one-line message:
//   ResourceExhausted  more bytes than max_bytes, or a count over its limit;
//   Corruption         bytes that are not a well-formed message of this kind,
//                      or an artifact whose content hash does not match;
//   InvalidArgument    a well-formed message with an unsupported version or
//                      content refused by protocol/validate.h.
//
// All functions are pure; thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

#include "common/status.h"
#include "learning/event.h"
#include "learning/model_artifact.h"
#include "learning/partition_input.h"
#include "learning/partition_snapshot.h"
#include "protocol/messages.h"
#include "protocol/validate.h"

namespace driftline {

// The client-wire protocol version this build speaks (Frame.protocolVersion).
constexpr uint16_t kProtocolVersion = 1;

struct DecodeLimits {
  // Largest input accepted, checked before anything is copied.
  // Default: 16 MiB (frames). StoredDataLimits() raises it for artifacts.
  size_t max_bytes = size_t{16} << 20;
  // Cap'n Proto traversal limit in 8-byte words: bounds the work and memory
  // of reading a message whose pointers alias (an honest message traverses
  // about its own size). Decoded structs take at most ~5 x 8 bytes per
  // traversed word. Default: 2 x max_bytes / 8 = 4 Mi words.
  uint64_t traversal_limit_words = uint64_t{4} << 20;
  // Also caps the traversal at this many words per input word (+ 64), so a
  // small input cannot decode into a huge value: a list of all-default
  // elements costs no bytes yet decodes to one struct per element. An honest
  // message traverses about its own size; a value made mostly of all-default
  // list elements (impossible for validated messages) may exceed it.
  // 0: no proportional cap. Default: 4.
  uint64_t traversal_words_per_input_word = 4;
  // Deepest struct/list nesting accepted. driftline's deepest message is
  // about 8 levels. Default: 32.
  int nesting_limit = 32;
  // Count limits checked on decoded content (protocol/validate.h).
  ContentLimits content;
};

// Limits for stored values (artifacts, checkpoints, log records), which can be
// far larger than a frame: max_bytes 1 GiB, traversal 2 x max_bytes / 8,
// nesting 32, content limits as for frames.
DecodeLimits StoredDataLimits();

// Any message that travels in a client-wire Frame: the data plane, then
// administration (model registry, status, fault injection).
using Message = std::variant<EventBatch, PredictRequest, PredictReply, ErrorReply, BatchAck,
                             ModelRegisterRequest, ModelActivateRequest, ModelRollbackRequest,
                             ModelReply, StatusRequest, StatusReply, StallPartitionRequest,
                             OkReply, ForgetUserRequest, ForgetUserReply>;

// ---- Client wire -----------------------------------------------------------
// A frame = protocol version + one message. Bytes are a Cap'n Proto message
// with its segment table (unpacked), at most a few words larger than the
// message's content.
std::string EncodeFrame(const EventBatch& batch);
std::string EncodeFrame(const PredictRequest& request);
std::string EncodeFrame(const PredictReply& reply);
std::string EncodeFrame(const ErrorReply& reply);
std::string EncodeFrame(const BatchAck& ack);
std::string EncodeFrame(const ModelRegisterRequest& request);
std::string EncodeFrame(const ModelActivateRequest& request);
std::string EncodeFrame(const ModelRollbackRequest& request);
std::string EncodeFrame(const ModelReply& reply);
std::string EncodeFrame(const StatusRequest& request);
std::string EncodeFrame(const StatusReply& reply);
std::string EncodeFrame(const StallPartitionRequest& request);
std::string EncodeFrame(const OkReply& reply);
std::string EncodeFrame(const ForgetUserRequest& request);
std::string EncodeFrame(const ForgetUserReply& reply);
std::string EncodeFrame(const Message& message);

// The message in a frame, validated (protocol/validate.h: EventBatch,
// PredictRequest, PredictReply, ErrorReply, ModelRegisterRequest (size only:
// the node runs DecodeArtifact on the artifact), ModelActivateRequest,
// StatusReply, StallPartitionRequest, ForgetUserRequest; the other kinds
// have no rules). A
// protocol version
// other than kProtocolVersion is InvalidArgument "unsupported protocol version
// N (this build speaks 1)"; a frame without a message, or with a kind this
// build does not know, is InvalidArgument too.
Result<Message> DecodeFrame(std::string_view bytes, const DecodeLimits& limits = {});

// The tail of the message a node gives for a frame of a kind it does not
// take: "unexpected message kind PredictReply: " + this.
inline constexpr char kRequestKindsAccepted[] =
    "a node takes EventBatch, PredictRequest, ModelRegisterRequest, ModelActivateRequest, "
    "ModelRollbackRequest, StatusRequest, StallPartitionRequest and ForgetUserRequest, not "
    "replies";

// What a node reads: DecodeFrame, except that a frame carrying a reply kind
// (PredictReply, ErrorReply, BatchAck, ModelReply, StatusReply, OkReply,
// ForgetUserReply) or a
// kind this build does not know is refused before its content is read, so the
// sender learns what is wrong with it rather than a validation rule of a
// message it should not have sent: InvalidArgument "unexpected message kind
// PredictReply: a node takes EventBatch, ... not replies", and
// *unexpected_kind (when non-null) is set to true (false otherwise).
Result<Message> DecodeRequestFrame(std::string_view bytes, const DecodeLimits& limits = {},
                                   bool* unexpected_kind = nullptr);

// ---- Model artifact --------------------------------------------------------
// The artifact file's bytes: the canonical single-segment Cap'n Proto encoding,
// so the same artifact always gives byte-identical bytes. The content_hash
// field of the input is ignored; the output carries the sha256 hex of the
// canonical encoding with the hash absent (ArtifactContentHash()).
std::string EncodeArtifact(const ModelArtifact& artifact);

// The content hash EncodeArtifact() would record for this artifact.
std::string ArtifactContentHash(const ModelArtifact& artifact);

// The artifact, after checking that the bytes are canonical (Corruption), its
// format version (InvalidArgument), its content hash (Corruption "artifact
// content hash mismatch ...") and its content
// (ValidateArtifact()). Fields added by a newer writer are covered by the
// hash check too.
Result<ModelArtifact> DecodeArtifact(std::string_view bytes,
                                     const DecodeLimits& limits = StoredDataLimits());

// ---- Partition checkpoint --------------------------------------------------
// Canonical single-segment encoding: the same snapshot gives the same bytes.
// Every field of the snapshot is kept exactly (doubles bit for bit, lists in
// their order), so DecodeCheckpoint(EncodeCheckpoint(s)) == s.
std::string EncodeCheckpoint(const PartitionSnapshot& snapshot);
// Checks the format version (InvalidArgument) and structure (Corruption); the
// content is trusted as written by EncodeCheckpoint().
Result<PartitionSnapshot> DecodeCheckpoint(std::string_view bytes,
                                           const DecodeLimits& limits = StoredDataLimits());

// ---- Event log -------------------------------------------------------------
// One event-log record: the event-log format version (2) and one input.
// Single-segment encoding, deterministic (the same input gives the same
// bytes; not necessarily Cap'n Proto's canonical form), every field kept
// exactly, so DecodePartitionInput(EncodePartitionInput(x)) == x for any x
// without NaN (an out-of-range ArmUpdateInput label saturates
// to [-128, 127]). Does not validate: append only inputs that pass
// ValidatePartitionInput() (protocol/validate.h).
// `epoch`: the owner epoch of the partition appending it (EventLogRecord.epoch;
// 0, the default, reads back as a record written before epochs were recorded).
std::string EncodePartitionInput(const PartitionInput& input, uint64_t epoch = 0);

// Checks the format version ("unsupported event log format version N (this
// build reads 2)", InvalidArgument) and the structure (Corruption). A record
// without an input, or with a kind this build does not know, is
// InvalidArgument. The content is not re-validated: it was before it was
// appended. Accepts any well-formed encoding, canonical or not.
Result<PartitionInput> DecodePartitionInput(std::string_view bytes,
                                            const DecodeLimits& limits = StoredDataLimits());

// One event-log record with the owner epoch that appended it (0: a record
// written before epochs were recorded). Same checks as DecodePartitionInput.
struct LogRecordInput {
  PartitionInput input;
  uint64_t epoch = 0;
};
Result<LogRecordInput> DecodeLogRecord(std::string_view bytes,
                                       const DecodeLimits& limits = StoredDataLimits());

// ---- Hashing support -------------------------------------------------------
// The canonical bytes of one event (Cap'n Proto canonical form of the Event
// struct, without a segment table). Equal events give equal bytes; feed them to
// Sha256 to hash a training snapshot. Stable as long as the schema is.
std::string CanonicalEventBytes(const Event& event);

}  // namespace driftline
