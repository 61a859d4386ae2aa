// PRIVATE to protocol/codec_*.cc: the helpers they share. Includes the
// generated header, so no public header may include this one.
//
// Readers (Read*) may throw kj::Exception on malformed input; they run only
// inside ReadMessage(), which turns that into a Status.
#pragma once

#include <capnp/message.h>
#include <capnp/serialize.h>
#include <kj/array.h>
#include <kj/exception.h>

#include <exception>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "common/status.h"
#include "driftline.capnp.h"
#include "learning/delta_transform.h"
#include "learning/event.h"
#include "learning/partition_snapshot.h"
#include "protocol/codec.h"
#include "protocol/messages.h"

namespace driftline {
namespace codec_internal {

// ---- Bytes <-> messages ------------------------------------------------------

// The flat (segment table + segments) bytes of a built message.
std::string MessageBytes(capnp::MessageBuilder& message);

// The canonical single-segment message bytes of `root`'s message: an 8-byte
// segment table then Cap'n Proto's canonical form. Byte-identical for equal
// content, whatever the builder's allocation history.
template <class Reader>
std::string CanonicalMessageBytes(Reader root);

// Turns a canonical word array into a one-segment message's bytes.
std::string SingleSegmentMessage(kj::ArrayPtr<const capnp::word> words);

// An aligned copy of bytes, after checking the size limit and word framing.
// `what` names the kind of input in messages ("frame", "artifact").
Result<kj::Array<capnp::word>> AlignedCopy(std::string_view bytes, const DecodeLimits& limits,
                                           std::string_view what);

// Cap'n Proto reader options: the nesting limit, and the traversal limit
// capped per DecodeLimits::traversal_words_per_input_word.
capnp::ReaderOptions ReaderOptionsFor(const DecodeLimits& limits, size_t input_words);

// One line from a kj::Exception's description (they can span lines).
std::string OneLine(const std::string& text);

// Reads `bytes` as one message and returns read(reader): reader is a
// capnp::MessageReader&, read returns Result<T>. Every kj::Exception (or
// other std::exception) becomes Corruption "<what> is malformed: ...".
template <class T, class Fn>
Result<T> ReadMessage(std::string_view bytes, const DecodeLimits& limits, std::string_view what,
                      Fn&& read) {
  Result<kj::Array<capnp::word>> words = AlignedCopy(bytes, limits, what);
  if (!words.ok()) return words.status();
  std::string failure;
  try {
    capnp::FlatArrayMessageReader reader(*words, ReaderOptionsFor(limits, words->size()));
    if (reader.getEnd() != words->end()) {
      return Status::Corruption(std::string(what) + " is malformed: trailing bytes after the message");
    }
    return std::forward<Fn>(read)(static_cast<capnp::MessageReader&>(reader));
  } catch (const kj::Exception& e) {
    failure = OneLine(e.getDescription().cStr());
  } catch (const std::exception& e) {
    failure = OneLine(e.what());
  }
  return Status::Corruption(std::string(what) + " is malformed: " + failure);
}

template <class Reader>
std::string CanonicalMessageBytes(Reader root) {
  kj::Array<capnp::word> words = capnp::canonicalize(root);
  return SingleSegmentMessage(words);
}

// ---- Shared conversions --------------------------------------------------------

// A delta transform (learning/delta_transform.h). Read: nullopt when the
// kind is unspecified (absent); the kind and factor as they are otherwise
// (an unknown kind is kept for ValidateDeltaTransform to refuse).
void WriteDeltaTransform(const DeltaTransform& in, wire::DeltaTransform::Builder out);
std::optional<DeltaTransform> ReadDeltaTransform(wire::DeltaTransform::Reader in);

std::string ToString(capnp::Text::Reader text);

// The whole of `s` as Text, embedded NUL bytes included (capnp's implicit
// conversion would stop at the first NUL and silently truncate).
inline capnp::Text::Reader AsText(const std::string& s) {
  return capnp::Text::Reader(s.data(), s.size());
}

// REQUIRES: out has in.size() elements.
void WriteFeatureSet(const FeatureSet& in, capnp::List<wire::FeatureNamespace>::Builder out);
FeatureSet ReadFeatureSet(capnp::List<wire::FeatureNamespace>::Reader in);

// A label as the wire's Int8. The codec does not validate: an out-of-range
// label stays out of range (negative -> -128, above 127 -> 127) so the
// receiver's validation refuses it.
int8_t WireLabel(int label);

void WriteEvent(const Event& in, wire::Event::Builder out);
Event ReadEvent(wire::Event::Reader in);

void WriteArmUpdate(const ArmUpdateInput& in, wire::ArmUpdate::Builder out);
ArmUpdateInput ReadArmUpdate(wire::ArmUpdate::Reader in);

void WriteEventBatch(const EventBatch& in, wire::EventBatch::Builder out);
// ResourceExhausted when the batch has more than max_events events (checked
// before anything is allocated for them).
Result<EventBatch> ReadEventBatch(wire::EventBatch::Reader in, size_t max_events);

// Pending predictions: in checkpoints and in event-log records.
void WritePending(const PendingPrediction& in, wire::PendingPrediction::Builder out);
PendingPrediction ReadPending(wire::PendingPrediction::Reader in);

// ---- Frames (codec_frame.cc, codec_frame_admin.cc) -------------------------

// A client-wire frame (kProtocolVersion) around a body written by
// write(wire::Frame::Body::Builder).
template <class Fn>
std::string BuildFrame(Fn&& write) {
  capnp::MallocMessageBuilder message;
  wire::Frame::Builder frame = message.initRoot<wire::Frame>();
  frame.setProtocolVersion(kProtocolVersion);
  std::forward<Fn>(write)(frame.initBody());
  return MessageBytes(message);
}

// The administration message in `body`, validated (protocol/validate.h).
// REQUIRES: body holds one of modelRegisterRequest .. okReply.
Result<Message> ReadAdminBody(wire::Frame::Body::Reader body, const ContentLimits& limits);

// "unsupported <what> version N (this build <verb> M)" as InvalidArgument.
Status UnsupportedVersion(std::string_view what, uint32_t got, uint32_t supported,
                          std::string_view verb);

}  // namespace codec_internal
}  // namespace driftline
