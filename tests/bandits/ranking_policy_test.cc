// Slot probabilities of uniform, greedy and Thompson rankings.
#include <catch2/catch.hpp>

#include <cmath>

#include "learning/ranking_policy.h"

using namespace driftline;

namespace {

void RequireColumnsSumToOne(const SlotProbabilities& p) {
  for (size_t k = 0; k < p[0].size(); ++k) {
    double sum = 0.0;
    for (const auto& row : p) sum += row[k];
    REQUIRE(sum == Approx(1.0).margin(1e-12));
  }
  for (const auto& row : p) {
    double sum = 0.0;
    for (double x : row) sum += x;
    REQUIRE(sum <= 1.0 + 1e-12);
  }
}

}  // namespace

TEST_CASE("a uniform ranking shows every candidate at every slot with probability 1/K") {
  auto p = UniformRankingProbabilities(34, 3);
  REQUIRE(p.ok());
  REQUIRE(p->size() == 34);
  REQUIRE((*p)[5][2] == 1.0 / 34);
  RequireColumnsSumToOne(*p);
}

TEST_CASE("a greedy ranking puts the k-th best candidate at slot k, ties to the lower index") {
  auto p = GreedyRankingProbabilities({0.1, 0.9, 0.5, 0.9}, 3);
  REQUIRE(p.ok());
  REQUIRE((*p)[1][0] == 1.0);
  REQUIRE((*p)[3][1] == 1.0);
  REQUIRE((*p)[2][2] == 1.0);
  REQUIRE((*p)[0] == std::vector<double>{0.0, 0.0, 0.0});
  RequireColumnsSumToOne(*p);
}

TEST_CASE("Thompson ranking probabilities: identical posteriors share the slots, a dominant one takes slot 1") {
  Rng rng(3);
  auto same = ThompsonRankingProbabilities({{2, 8}, {2, 8}, {2, 8}, {2, 8}}, 2, 20000, rng);
  REQUIRE(same.ok());
  RequireColumnsSumToOne(*same);
  // Standard error sqrt(0.25 * 0.75 / 20000) ~ 0.003: 5 of them.
  for (const auto& row : *same) {
    REQUIRE(row[0] == Approx(0.25).margin(0.015));
    REQUIRE(row[1] == Approx(0.25).margin(0.015));
  }
  auto dominant = ThompsonRankingProbabilities({{1, 1000}, {1000, 1}, {1, 1000}}, 1, 1000, rng);
  REQUIRE(dominant.ok());
  REQUIRE((*dominant)[1][0] == 1.0);
}

TEST_CASE("Thompson ranking probabilities match the closed form P(X > Y) for two Beta arms") {
  // X ~ Beta(2, 1), Y ~ Beta(1, 1): P(X > Y) = E[X] = 2/3.
  Rng rng(17);
  auto p = ThompsonRankingProbabilities({{2, 1}, {1, 1}}, 1, 40000, rng);
  REQUIRE(p.ok());
  REQUIRE((*p)[0][0] == Approx(2.0 / 3.0).margin(0.012));  // ~5 standard errors
}

TEST_CASE("Thompson ranking probabilities are a function of the seed") {
  Rng a(5), b(5), c(6);
  const std::vector<BetaPosterior> posteriors = {{3, 30}, {4, 30}, {5, 30}};
  auto pa = ThompsonRankingProbabilities(posteriors, 2, 500, a);
  auto pb = ThompsonRankingProbabilities(posteriors, 2, 500, b);
  auto pc = ThompsonRankingProbabilities(posteriors, 2, 500, c);
  REQUIRE(*pa == *pb);
  REQUIRE(*pa != *pc);
  REQUIRE(a.state() == b.state());
}

TEST_CASE("ranking policies refuse no candidates, bad slot counts, zero samples and bad posteriors") {
  Rng rng(1);
  REQUIRE_FALSE(UniformRankingProbabilities(0, 1).ok());
  REQUIRE_FALSE(UniformRankingProbabilities(3, 4).ok());
  REQUIRE_FALSE(GreedyRankingProbabilities({1.0, NAN}, 1).ok());
  REQUIRE_FALSE(GreedyRankingProbabilities({1.0}, 0).ok());
  REQUIRE_FALSE(ThompsonRankingProbabilities({{1, 1}}, 1, 0, rng).ok());
  REQUIRE_FALSE(ThompsonRankingProbabilities({{1, 0}}, 1, 10, rng).ok());
  REQUIRE_FALSE(ThompsonRankingProbabilities({}, 1, 10, rng).ok());
}
