// Whole-file reads and atomic writes for the CLI. Errors name the path.
#pragma once

#include <cstddef>
#include <string>

#include "common/status.h"

namespace driftline {

// The file's bytes. NotFound if it cannot be opened, ResourceExhausted if it
// is larger than max_bytes, IoError on a failed read.
Result<std::string> ReadWholeFile(const std::string& path, size_t max_bytes = size_t{1} << 30);

// Writes `bytes` to path.tmp, flushes, then renames over `path`, so a reader
// never sees a half-written file.
Status WriteFileAtomically(const std::string& path, const std::string& bytes);

}  // namespace driftline
