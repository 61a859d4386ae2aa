#include "storage/keys.h"

namespace driftline::storage::keys {

void AppendBigEndian32(std::string* out, uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out->push_back(static_cast<char>((v >> shift) & 0xff));
}

void AppendBigEndian64(std::string* out, uint64_t v) {
  for (int shift = 56; shift >= 0; shift -= 8) out->push_back(static_cast<char>((v >> shift) & 0xff));
}

uint32_t ReadBigEndian32(std::string_view in) {
  uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v = (v << 8) | static_cast<unsigned char>(in[i]);
  return v;
}

uint64_t ReadBigEndian64(std::string_view in) {
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = (v << 8) | static_cast<unsigned char>(in[i]);
  return v;
}

std::string EventKey(uint32_t partition, uint64_t sequence) {
  std::string key;
  key.reserve(kEventKeySize);
  AppendBigEndian32(&key, partition);
  AppendBigEndian64(&key, sequence);
  return key;
}

std::string EventHeadKey(uint32_t partition) {
  std::string key;
  AppendBigEndian32(&key, partition);
  return key;
}

bool DecodeEventKey(std::string_view key, uint32_t* partition, uint64_t* sequence) {
  if (key.size() != kEventKeySize) return false;
  *partition = ReadBigEndian32(key);
  *sequence = ReadBigEndian64(key.substr(4));
  return true;
}

std::string EncodeEventHead(const EventHead& head) {
  std::string value;
  AppendBigEndian64(&value, head.last_sequence);
  AppendBigEndian64(&value, head.truncated_through);
  return value;
}

bool DecodeEventHead(std::string_view value, EventHead* head) {
  if (value.size() != 16) return false;
  head->last_sequence = ReadBigEndian64(value);
  head->truncated_through = ReadBigEndian64(value.substr(8));
  return head->truncated_through <= head->last_sequence;
}

std::string CheckpointKey(uint32_t partition, uint64_t sequence) {
  return EventKey(partition, sequence);  // same layout, different family
}

std::string CheckpointPrefix(uint32_t partition) { return EventHeadKey(partition); }

bool DecodeCheckpointKey(std::string_view key, uint32_t* partition, uint64_t* sequence) {
  return DecodeEventKey(key, partition, sequence);
}

std::string ModelVersionKey(std::string_view version) {
  std::string key(kModelVersionPrefix);
  key.append(version);
  return key;
}

std::string ModelOrderKey(uint64_t registration_number) {
  std::string key(kModelOrderPrefix);
  AppendBigEndian64(&key, registration_number);
  return key;
}

std::string ModelHistoryKey(uint64_t activation_number) {
  std::string key(kModelHistoryPrefix);
  AppendBigEndian64(&key, activation_number);
  return key;
}

bool DecodeModelNumberKey(std::string_view key, std::string_view prefix, uint64_t* number) {
  if (key.size() != prefix.size() + 8 || key.substr(0, prefix.size()) != prefix) return false;
  *number = ReadBigEndian64(key.substr(prefix.size()));
  return true;
}

std::string FormatVersionKey() { return "s/format_version"; }

std::string NodeMetaKey(std::string_view key) {
  std::string out("n/");
  out.append(key);
  return out;
}

}  // namespace driftline::storage::keys
