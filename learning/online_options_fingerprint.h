// The fingerprint of the options that change what a partition learns: one
// "name=value" line per option, in a fixed order, values printed exactly
// (doubles with 17 significant digits). Stored in the node's meta and in
// every checkpoint, so a restart with other options (whose replay would be a
// different computation) is refused, naming the option, instead of silently
// mixing two models in one state.
#pragma once

#include <string>

#include "common/status.h"
#include "learning/online_options.h"

namespace driftline {

std::string OnlineOptionsFingerprint(const OnlineOptions& options);

// Ok when equal. Otherwise FailedPrecondition naming every option that
// differs, e.g. "user_ftrl.alpha was 0.1 in <where>, now 0.2"; `where` says
// whose fingerprint `stored` is ("this data dir", "partition 3's checkpoint").
Status CheckOnlineOptionsFingerprint(const std::string& stored, const std::string& current,
                                     const std::string& where);

}  // namespace driftline
