#include "actors/model_activation.h"

#include <cstdlib>

namespace driftline {

std::string EncodeModelActivationRecord(const ModelActivationRecord& record) {
  return std::to_string(record.activation) + " " + DeltaTransformName(record.deltas) + " " +
         record.from_version;
}

Result<ModelActivationRecord> DecodeModelActivationRecord(const std::string& value) {
  auto corrupt = [&value](const std::string& why) {
    return Status::Corruption("node meta " + std::string(kModelActivationMetaKey) + " '" + value +
                              "': " + why);
  };
  const size_t first = value.find(' ');
  const size_t second = first == std::string::npos ? first : value.find(' ', first + 1);
  if (second == std::string::npos) return corrupt("expected '<number> <deltas> <version>'");
  const std::string number = value.substr(0, first);
  char* end = nullptr;
  const unsigned long long activation = number.empty() ? 0 : std::strtoull(number.c_str(), &end, 10);
  if (number.empty() || end != number.c_str() + number.size() || activation == 0 ||
      number[0] == '-') {
    return corrupt("the activation number is not a positive integer");
  }
  auto deltas = ParseDeltaTransform(value.substr(first + 1, second - first - 1));
  if (!deltas.ok()) return corrupt(deltas.status().message());
  return ModelActivationRecord{activation, value.substr(second + 1), *deltas};
}

Result<std::optional<ModelActivationRecord>> LoadModelActivationRecord(storage::NodeMeta& meta) {
  auto value = meta.Get(kModelActivationMetaKey);
  if (!value.ok()) {
    if (value.status().code() == Status::Code::kNotFound) return std::optional<ModelActivationRecord>();
    return value.status();
  }
  auto record = DecodeModelActivationRecord(*value);
  if (!record.ok()) return record.status();
  return std::optional<ModelActivationRecord>(std::move(*record));
}

Status StoreModelActivationRecord(storage::NodeMeta& meta, const ModelActivationRecord& record) {
  return meta.Put(kModelActivationMetaKey, EncodeModelActivationRecord(record));
}

std::optional<ModelSwitchInput> ActivationToComplete(
    const std::optional<ModelActivationRecord>& record, const std::string& active_version) {
  if (!record || active_version.empty() || active_version == record->from_version) {
    return std::nullopt;
  }
  return ModelSwitchInput{record->activation, active_version, record->deltas};
}

}  // namespace driftline
