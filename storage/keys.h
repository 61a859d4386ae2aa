// Key and value encodings of RocksNodeStore, one function per key kind.
//
// DO NOT CHANGE THESE FORMATS: they are embedded in on-disk data. A change
// needs a new kFormatVersion and a migration. docs/storage.md describes them.
//
// Integers in keys are big-endian and fixed-width so that RocksDB's bytewise
// order equals numeric order (sequence 2 sorts before sequence 10, partition 1
// before partition 256).
//
// Column family "events":
//   4-byte BE partition                      -> head: 8-byte BE last sequence
//                                               + 8-byte BE truncated-through
//   4-byte BE partition + 8-byte BE sequence -> record bytes
//   A partition's head sorts just before its records (it is their prefix).
// Column family "checkpoints":
//   4-byte BE partition + 8-byte BE sequence -> checkpoint bytes
// Column family "models":
//   "v/" + version                           -> artifact bytes
//   "o/" + 8-byte BE registration number     -> version   (List order)
//   "h/" + 8-byte BE activation number       -> version   (history stack)
// Column family "meta":
//   "s/format_version"                       -> decimal kFormatVersion
//   "n/" + key                               -> NodeMeta value
//
// Thread safety: pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace driftline::storage::keys {

// Version of the whole on-disk layout, stored under FormatVersionKey().
inline constexpr int kFormatVersion = 1;

// Column family names. DO NOT CHANGE.
inline constexpr const char* kEventsFamily = "events";
inline constexpr const char* kCheckpointsFamily = "checkpoints";
inline constexpr const char* kModelsFamily = "models";
inline constexpr const char* kMetaFamily = "meta";

// Fixed-width big-endian integers.
void AppendBigEndian32(std::string* out, uint32_t v);
void AppendBigEndian64(std::string* out, uint64_t v);
// REQUIRES: in.size() >= 4 (resp. 8); reads the first bytes of `in`.
uint32_t ReadBigEndian32(std::string_view in);
uint64_t ReadBigEndian64(std::string_view in);

// events: a record key, and the key of a partition's head.
std::string EventKey(uint32_t partition, uint64_t sequence);
std::string EventHeadKey(uint32_t partition);
inline constexpr size_t kEventKeySize = 12;
inline constexpr size_t kEventHeadKeySize = 4;
// False when `key` is not kEventKeySize bytes long.
bool DecodeEventKey(std::string_view key, uint32_t* partition, uint64_t* sequence);

// The head value of a partition's log.
struct EventHead {
  uint64_t last_sequence = 0;
  uint64_t truncated_through = 0;  // records <= this were dropped
};
std::string EncodeEventHead(const EventHead& head);
// False when `value` is not 16 bytes or truncated_through > last_sequence.
bool DecodeEventHead(std::string_view value, EventHead* head);

// checkpoints
std::string CheckpointKey(uint32_t partition, uint64_t sequence);
std::string CheckpointPrefix(uint32_t partition);  // 4-byte BE partition
bool DecodeCheckpointKey(std::string_view key, uint32_t* partition, uint64_t* sequence);

// models
inline constexpr std::string_view kModelVersionPrefix = "v/";
inline constexpr std::string_view kModelOrderPrefix = "o/";
inline constexpr std::string_view kModelHistoryPrefix = "h/";
std::string ModelVersionKey(std::string_view version);
std::string ModelOrderKey(uint64_t registration_number);
std::string ModelHistoryKey(uint64_t activation_number);
// Reads the number of an "o/" or "h/" key; false when malformed.
bool DecodeModelNumberKey(std::string_view key, std::string_view prefix, uint64_t* number);

// meta
std::string FormatVersionKey();
std::string NodeMetaKey(std::string_view key);

}  // namespace driftline::storage::keys
