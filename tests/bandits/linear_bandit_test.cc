#include "learning/linear_bandit.h"

#include <cmath>
#include <limits>
#include <vector>

#include <Eigen/Dense>
#include <catch2/catch.hpp>

using driftline::DenseContext;
using driftline::HashedFeature;
using driftline::LinearArmState;
using driftline::LinearBanditOptions;
using driftline::Rng;
using driftline::SparseFeatures;

namespace {

Eigen::VectorXd RandomContext(int d, Rng& rng) {
  Eigen::VectorXd x(d);
  for (int i = 0; i < d; ++i) x[i] = rng.NextDouble() * 2.0 - 1.0;
  return x;
}

LinearBanditOptions Options(int dim, double ridge) {
  LinearBanditOptions o;
  o.dim = dim;
  o.ridge = ridge;
  return o;
}

}  // namespace

TEST_CASE("a fresh linear arm state is ridge times identity with zero b") {
  LinearArmState s(Options(4, 2.0));
  REQUIRE(s.dim() == 4);
  REQUIRE(s.a() == 2.0 * Eigen::MatrixXd::Identity(4, 4));
  REQUIRE(s.b() == Eigen::VectorXd::Zero(4));
  REQUIRE(s.Theta() == Eigen::VectorXd::Zero(4));
}

TEST_CASE("theta equals the closed-form ridge regression solution") {
  const int d = 6, n = 40;
  const double lambda = 0.5;
  Rng rng(1);
  LinearArmState s(Options(d, lambda));
  Eigen::MatrixXd x(n, d);
  Eigen::VectorXd r(n);
  for (int i = 0; i < n; ++i) {
    x.row(i) = RandomContext(d, rng).transpose();
    r[i] = rng.NextDouble() < 0.4 ? 1.0 : 0.0;
    REQUIRE(s.Update(x.row(i).transpose(), r[i]).ok());
  }
  // Independently: (lambda I + X^T X)^-1 X^T r, by an explicit inverse.
  const Eigen::MatrixXd gram = lambda * Eigen::MatrixXd::Identity(d, d) + x.transpose() * x;
  const Eigen::VectorXd expected = gram.inverse() * (x.transpose() * r);
  REQUIRE((s.Theta() - expected).norm() < 1e-10);
  const Eigen::VectorXd probe = RandomContext(d, rng);
  REQUIRE(s.Mean(probe) == Approx(expected.dot(probe)).margin(1e-10));
  REQUIRE(s.Width(probe) ==
          Approx(std::sqrt(probe.dot(gram.inverse() * probe))).epsilon(1e-10));
}

TEST_CASE("the UCB width along a context shrinks as data along it arrives") {
  const int d = 5;
  Rng rng(2);
  LinearArmState s(Options(d, 1.0));
  const Eigen::VectorXd x = RandomContext(d, rng);
  double previous = s.Width(x);
  for (int i = 0; i < 20; ++i) {
    REQUIRE(s.Update(x, 1.0).ok());
    const double w = s.Width(x);
    REQUIRE(w < previous);
    previous = w;
  }
  REQUIRE(s.UcbScore(x, 2.0) == Approx(s.Mean(x) + 2.0 * s.Width(x)));
}

TEST_CASE("sampled thetas have the posterior mean and covariance v^2 A^-1") {
  const int d = 3;
  Rng rng(3);
  LinearArmState s(Options(d, 1.0));
  for (int i = 0; i < 10; ++i) REQUIRE(s.Update(RandomContext(d, rng), i % 3 == 0 ? 1.0 : 0.0).ok());
  const double v = 0.7;
  const int n = 100000;
  Eigen::VectorXd sum = Eigen::VectorXd::Zero(d);
  Eigen::MatrixXd sum_sq = Eigen::MatrixXd::Zero(d, d);
  for (int i = 0; i < n; ++i) {
    const Eigen::VectorXd t = s.SampleTheta(v, rng);
    sum += t;
    sum_sq += t * t.transpose();
  }
  const Eigen::VectorXd mean = sum / n;
  const Eigen::MatrixXd cov = sum_sq / n - mean * mean.transpose();
  const Eigen::MatrixXd expected_cov = v * v * s.a().inverse();
  const double scale = expected_cov.diagonal().maxCoeff();
  REQUIRE((mean - s.Theta()).cwiseAbs().maxCoeff() < 5.0 * std::sqrt(scale / n));
  REQUIRE((cov - expected_cov).cwiseAbs().maxCoeff() < 0.03 * scale);
}

TEST_CASE("a snapshot round trip of the linear state is exact") {
  const int d = 8;
  Rng rng(4);
  LinearArmState s(Options(d, 1.5));
  for (int i = 0; i < 25; ++i) REQUIRE(s.Update(RandomContext(d, rng), rng.NextDouble()).ok());
  std::vector<double> a, b;
  s.ToSnapshot(&a, &b);
  REQUIRE(a.size() == static_cast<size_t>(d * d));
  REQUIRE(b.size() == static_cast<size_t>(d));
  REQUIRE(a[1 * d + 2] == s.a()(1, 2));  // row-major
  auto restored = LinearArmState::FromSnapshot(a, b, Options(d, 1.5));
  REQUIRE(restored.ok());
  REQUIRE(*restored == s);
  const Eigen::VectorXd probe = RandomContext(d, rng);
  REQUIRE(restored->Theta() == s.Theta());
  REQUIRE(restored->Width(probe) == s.Width(probe));
  std::vector<double> a2, b2;
  restored->ToSnapshot(&a2, &b2);
  REQUIRE(a2 == a);
  REQUIRE(b2 == b);
}

TEST_CASE("an empty snapshot restores the fresh state") {
  auto s = LinearArmState::FromSnapshot({}, {}, Options(4, 3.0));
  REQUIRE(s.ok());
  REQUIRE(*s == LinearArmState(Options(4, 3.0)));
}

TEST_CASE("a corrupt linear snapshot is refused") {
  const LinearBanditOptions o = Options(2, 1.0);
  REQUIRE_FALSE(LinearArmState::FromSnapshot({1, 0, 0, 1}, {0, 0, 0}, o).ok());  // size
  REQUIRE_FALSE(LinearArmState::FromSnapshot({1, 0.5, 0, 1}, {0, 0}, o).ok());  // asymmetric
  REQUIRE_FALSE(LinearArmState::FromSnapshot({1, 2, 2, 1}, {0, 0}, o).ok());    // indefinite
  const double nan = std::numeric_limits<double>::quiet_NaN();
  REQUIRE_FALSE(LinearArmState::FromSnapshot({1, 0, 0, 1}, {nan, 0}, o).ok());
  auto corrupt = LinearArmState::FromSnapshot({1, 0, 0, 1}, {0}, o);
  REQUIRE(corrupt.status().code() == driftline::Status::Code::kCorruption);
}

TEST_CASE("a bad update is refused and leaves the state unchanged") {
  LinearArmState s(Options(3, 1.0));
  const LinearArmState before = s;
  REQUIRE_FALSE(s.Update(Eigen::VectorXd::Ones(4), 1.0).ok());
  Eigen::VectorXd x = Eigen::VectorXd::Ones(3);
  REQUIRE_FALSE(s.Update(x, std::numeric_limits<double>::infinity()).ok());
  x[1] = std::numeric_limits<double>::quiet_NaN();
  REQUIRE_FALSE(s.Update(x, 1.0).ok());
  REQUIRE(s == before);
}

TEST_CASE("a dense context folds hashed indices modulo the dimension and sums collisions") {
  SparseFeatures features = {{3, 1.0}, {11, 2.0}, {5, -0.5}, {1u << 31, 4.0}};
  auto x = DenseContext(features, 8);
  REQUIRE(x.ok());
  Eigen::VectorXd expected = Eigen::VectorXd::Zero(8);
  expected[3] = 3.0;   // 3 and 11 collide
  expected[5] = -0.5;
  expected[0] = 4.0;   // 2^31 mod 8 == 0
  REQUIRE(*x == expected);
  REQUIRE_FALSE(DenseContext({{0, std::numeric_limits<double>::quiet_NaN()}}, 8).ok());
  REQUIRE_FALSE(DenseContext(features, 0).ok());
}

TEST_CASE("invalid linear bandit options are refused") {
  REQUIRE_FALSE(driftline::ValidateLinearBanditOptions(Options(0, 1.0)).ok());
  REQUIRE_FALSE(driftline::ValidateLinearBanditOptions(Options(4, 0.0)).ok());
  REQUIRE_FALSE(LinearArmState::FromSnapshot({}, {}, Options(4, -1.0)).ok());
}
