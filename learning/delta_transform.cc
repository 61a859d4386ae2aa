#include "learning/delta_transform.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace driftline {

DeltaTransform DefaultDeltaTransform() { return DeltaTransform::Decay(0.5); }

Result<DeltaTransform> ParseDeltaTransform(std::string_view text) {
  if (text == "keep") return DeltaTransform::Keep();
  if (text == "reset") return DeltaTransform::Reset();
  constexpr std::string_view kDecay = "decay:";
  if (text.substr(0, kDecay.size()) == kDecay) {
    const std::string number(text.substr(kDecay.size()));
    char* end = nullptr;
    const double factor = number.empty() ? 0.0 : std::strtod(number.c_str(), &end);
    if (number.empty() || end != number.c_str() + number.size()) {
      return Status::InvalidArgument("deltas '" + std::string(text) +
                                     "': the decay factor is not a number (e.g. decay:0.5)");
    }
    DeltaTransform t = DeltaTransform::Decay(factor);
    DRIFTLINE_RETURN_IF_ERROR(ValidateDeltaTransform(t));
    return t;
  }
  return Status::InvalidArgument("deltas '" + std::string(text) +
                                 "' is not keep, reset or decay:F with F in (0, 1)");
}

std::string DeltaTransformName(const DeltaTransform& t) {
  switch (t.kind) {
    case DeltaTransform::Kind::kKeep: return "keep";
    case DeltaTransform::Kind::kReset: return "reset";
    case DeltaTransform::Kind::kDecay: {
      char buf[64];
      std::snprintf(buf, sizeof buf, "decay:%.17g", t.factor);
      return buf;
    }
  }
  return "unknown(" + std::to_string(static_cast<unsigned>(t.kind)) + ")";
}

Status ValidateDeltaTransform(const DeltaTransform& t) {
  switch (t.kind) {
    case DeltaTransform::Kind::kKeep:
      if (t.factor != 1.0) return Status::InvalidArgument("deltas keep carries factor 1, not " + std::to_string(t.factor));
      return Status::Ok();
    case DeltaTransform::Kind::kReset:
      if (t.factor != 0.0) return Status::InvalidArgument("deltas reset carries factor 0, not " + std::to_string(t.factor));
      return Status::Ok();
    case DeltaTransform::Kind::kDecay:
      if (!std::isfinite(t.factor) || !(t.factor > 0.0) || !(t.factor < 1.0)) {
        char buf[64];
        std::snprintf(buf, sizeof buf, "%g", t.factor);
        return Status::InvalidArgument(std::string("decay factor must be strictly between 0 and 1, got ") + buf +
                                       " (use keep for 1 and reset for 0)");
      }
      return Status::Ok();
  }
  return Status::InvalidArgument("unknown deltas transform kind " +
                                 std::to_string(static_cast<unsigned>(t.kind)));
}

FtrlState DecayFtrlState(const FtrlState& s, double factor, const FtrlOptions& o) {
  FtrlState out;
  out.n = factor * s.n;
  const double w = FtrlWeight(s, o);
  if (w == 0.0) {  // |z| <= l1: a scaled z stays within it, the weight stays 0
    out.z = factor * s.z;
    return out;
  }
  // Solve FtrlWeight(out) = factor * w for z at the new n:
  // w' = -(z' - sign*l1) / D'  =>  z' = -w' * D' + sign*l1 (same sign as z).
  const double sign = s.z < 0 ? -1.0 : 1.0;
  const double denominator = (o.beta + std::sqrt(out.n)) / o.alpha + o.l2;
  out.z = -(factor * w) * denominator + sign * o.l1;
  return out;
}

}  // namespace driftline
