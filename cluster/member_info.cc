// MemberInfo's JSON (the value of a member key) and ListMembers.
#include <nlohmann/json.hpp>
#include <random>

#include "cluster/cluster_keys.h"
#include "cluster/stored_json.h"
#include "cluster/membership.h"

namespace driftline {

using Json = nlohmann::json;
using stored_json::FormatOf;
using stored_json::IsFormat1;


bool MemberInfo::HasRole(const std::string& role) const {
  for (const auto& r : roles) {
    if (r == role) return true;
  }
  return false;
}

std::string EncodeMemberInfo(const MemberInfo& info) {
  Json j = {{"format", 1},
            {"node_id", info.node_id},
            {"incarnation", info.incarnation},
            {"roles", info.roles},
            {"endpoints", info.endpoints},
            {"version", info.version}};
  return j.dump();
}

Result<MemberInfo> DecodeMemberInfo(const std::string& json) {
  Json j = Json::parse(json, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) return Status::Corruption("member: not a JSON object");
  if (!IsFormat1(j)) {
    return Status::Corruption("member: unknown format " + FormatOf(j));
  }
  MemberInfo info;
  try {
    info.node_id = j.at("node_id").get<std::string>();
    info.incarnation = j.at("incarnation").get<std::string>();
    info.roles = j.at("roles").get<std::vector<std::string>>();
    info.endpoints = j.at("endpoints").get<std::map<std::string, std::string>>();
    info.version = j.at("version").get<std::string>();
  } catch (const Json::exception& e) {
    return Status::Corruption(std::string("member: ") + e.what());
  }
  if (info.node_id.empty() || info.incarnation.empty()) {
    return Status::Corruption("member: empty node_id or incarnation");
  }
  return info;
}

std::string NewIncarnationId() {
  std::random_device device;
  std::uniform_int_distribution<uint64_t> any;
  std::mt19937_64 gen((uint64_t(device()) << 32) ^ device());
  char out[33];
  snprintf(out, sizeof(out), "%016llx%016llx", static_cast<unsigned long long>(any(gen)),
           static_cast<unsigned long long>(any(gen)));
  return out;
}

Result<RegisteredMember> DecodeMemberKey(const std::string& members_prefix, const KeyValue& kv) {
  auto info = DecodeMemberInfo(kv.value);
  if (!info.ok()) return Status::Corruption("etcd key " + kv.key + ": " + info.status().message());
  if (kv.key != members_prefix + info->node_id) {
    return Status::Corruption("etcd key " + kv.key + " holds node id " + info->node_id);
  }
  return RegisteredMember{std::move(info).value(), kv.create_revision, kv.lease};
}

Result<MemberList> ListMembers(EtcdClient& etcd, const std::string& cluster) {
  DRIFTLINE_RETURN_IF_ERROR(cluster_keys::ValidateName("cluster name", cluster));
  const std::string prefix = cluster_keys::MembersPrefix(cluster);
  auto range = etcd.Range(prefix, RangeOptions{/*prefix=*/true});
  if (!range.ok()) return range.status();
  MemberList list;
  list.revision = range->revision;
  for (const KeyValue& kv : range->kvs) {
    auto member = DecodeMemberKey(prefix, kv);
    if (!member.ok()) return member.status();
    list.members.push_back(std::move(member).value());
  }
  return list;  // etcd returns keys in order, i.e. by node id
}

}  // namespace driftline
