#include "learning/policy_thompson.h"

#include <cmath>
#include <vector>

#include <catch2/catch.hpp>

using driftline::BetaPosterior;
using driftline::ChooseBetaThompson;
using driftline::Decision;
using driftline::Rng;
using driftline::ThompsonOptions;

namespace {

const std::vector<BetaPosterior> kArms = {{3.0, 7.0}, {4.0, 6.0}, {2.0, 8.0}, {30.0, 60.0}};

ThompsonOptions Samples(uint32_t n) {
  ThompsonOptions o;
  o.propensity_samples = n;
  return o;
}

}  // namespace

TEST_CASE("thompson sampling with one candidate picks it with exact propensity 1") {
  Rng rng(1);
  const Rng before = rng;
  auto d = ChooseBetaThompson({{2.0, 3.0}}, {}, rng);
  REQUIRE(d.ok());
  REQUIRE(d->chosen == 0);
  REQUIRE(d->propensity == 1.0);
  REQUIRE(d->propensity_samples == 0u);
  REQUIRE(rng.state() == before.state());
}

TEST_CASE("thompson sampling records the documented default propensity sample count") {
  Rng rng(2);
  auto d = ChooseBetaThompson(kArms, {}, rng);
  REQUIRE(d.ok());
  REQUIRE(d->propensity_samples == 256u);
  REQUIRE(d->propensity > 0.0);
  REQUIRE(d->propensity <= 1.0);
}

TEST_CASE("thompson sampling's Monte Carlo propensity is close to the empirical choice frequency") {
  Rng rng(3);
  const int n = 20000;
  std::vector<double> freq(kArms.size(), 0.0);
  for (int i = 0; i < n; ++i) freq[(*ChooseBetaThompson(kArms, Samples(1), rng)).chosen] += 1.0 / n;
  // A high-sample propensity for each arm it happens to choose.
  std::vector<bool> seen(kArms.size(), false);
  for (int i = 0; i < 60; ++i) {
    auto d = ChooseBetaThompson(kArms, Samples(20000), rng);
    REQUIRE(d.ok());
    INFO("arm " << d->chosen << " frequency " << freq[d->chosen]);
    REQUIRE(d->propensity == Approx(freq[d->chosen]).margin(0.02));
    seen[d->chosen] = true;
  }
  REQUIRE(seen[0]);
  REQUIRE(seen[1]);
  // And at the default sample count, the mean reported propensity per arm.
  std::vector<double> sum(kArms.size(), 0.0), count(kArms.size(), 0.0);
  for (int i = 0; i < 4000; ++i) {
    auto d = ChooseBetaThompson(kArms, {}, rng);
    sum[d->chosen] += d->propensity;
    count[d->chosen] += 1.0;
  }
  for (size_t a = 0; a < kArms.size(); ++a) {
    if (count[a] < 50) continue;
    INFO("arm " << a);
    REQUIRE(sum[a] / count[a] == Approx(freq[a]).margin(0.02));
  }
}

TEST_CASE("thompson decisions are identical for the same seed and differ across seeds") {
  auto run = [](uint64_t seed) {
    Rng rng(seed);
    std::vector<Decision> out;
    for (int i = 0; i < 100; ++i) out.push_back(*ChooseBetaThompson(kArms, {}, rng));
    return std::make_pair(out, rng.state());
  };
  REQUIRE(run(5) == run(5));
  REQUIRE(run(5).first != run(6).first);
}

TEST_CASE("the chosen arm and the generator afterwards do not depend on the propensity sample count") {
  for (uint64_t seed = 0; seed < 50; ++seed) {
    Rng few(seed), many(seed);
    auto a = ChooseBetaThompson(kArms, Samples(8), few);
    auto b = ChooseBetaThompson(kArms, Samples(1024), many);
    REQUIRE(a->chosen == b->chosen);
    REQUIRE(few.state() == many.state());
  }
}

TEST_CASE("thompson sampling refuses empty candidates, invalid posteriors and zero samples") {
  Rng rng(4);
  REQUIRE_FALSE(ChooseBetaThompson({}, {}, rng).ok());
  REQUIRE_FALSE(ChooseBetaThompson({{1.0, 1.0}, {0.0, 1.0}}, {}, rng).ok());
  REQUIRE_FALSE(ChooseBetaThompson({{1.0, 1.0}, {1.0, NAN}}, {}, rng).ok());
  REQUIRE_FALSE(ChooseBetaThompson(kArms, Samples(0), rng).ok());
}
