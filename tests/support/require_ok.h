// REQUIRE_OK(expr): fails the Catch2 test with the status message unless
// `expr` (a Status or a Result<T>) is ok. Shared by every test binary.
#pragma once

#include <catch2/catch.hpp>

#include "common/status.h"

namespace driftline::testing {

inline Status AsStatus(const Status& s) { return s; }
template <class T>
Status AsStatus(const Result<T>& r) {
  return r.status();
}

}  // namespace driftline::testing

#define REQUIRE_OK(expr)                                                \
  do {                                                                  \
    ::driftline::Status _st = ::driftline::testing::AsStatus(expr);     \
    INFO(_st.ToString());                                               \
    REQUIRE(_st.ok());                                                  \
  } while (0)
