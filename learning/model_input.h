// How an event (or a predict request's user + candidate) becomes model
// features. The one place that decides it, used offline (train, evaluate) and
// online (partitions, router), so the two never disagree (no training-serving
// skew).
//
// The user and item identities become features: "id=<user>" in namespace
// "user" and "id=<item>" in namespace "item", beside whatever features the
// event carries in those or other namespaces.
#pragma once

#include <string>

#include "learning/event.h"

namespace driftline {

inline constexpr const char* kUserNamespace = "user";
inline constexpr const char* kItemNamespace = "item";

// REQUIRES: nothing; an empty user or item adds no identity feature.
inline FeatureSet ModelInput(const std::string& user, const std::string& item,
                             const FeatureSet& features) {
  FeatureSet out;
  out.reserve(features.size() + 2);
  if (!user.empty()) out.push_back({kUserNamespace, {{"id=" + user, 1.0}}});
  if (!item.empty()) out.push_back({kItemNamespace, {{"id=" + item, 1.0}}});
  for (const auto& ns : features) out.push_back(ns);
  return out;
}

inline FeatureSet ModelInput(const Event& e) { return ModelInput(e.user, e.item, e.features); }

}  // namespace driftline
