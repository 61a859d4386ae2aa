// Disjoint linear contextual bandit state for one arm (Li et al. 2010,
// "A contextual-bandit approach to personalized news article recommendation";
// Agrawal & Goyal 2013 for linear Thompson sampling).
//
// Per arm, over a small dense context x of dimension d (e.g. 8-64):
//   A = lambda * I + sum x x^T      (d x d, symmetric positive definite)
//   b = sum r x                      (d)
//   theta_hat = A^-1 b               (the ridge-regression estimate)
//   UCB score  = theta_hat . x + alpha * sqrt(x^T A^-1 x)
//   TS draw    theta ~ N(theta_hat, v^2 A^-1), score = theta . x
// A^-1 is never formed: the state keeps the Cholesky factor A = L L^T,
// recomputed from A from scratch (never rank-updated) the first time a score
// needs it after an update, so a state restored from a snapshot computes
// exactly the same numbers as the live one, and a stream of updates without
// scoring costs O(d^2) each, not O(d^3).
//
// Plain value, no globals, no clock; randomness only through the Rng& passed
// in. Not thread-safe (the factor is cached lazily, even by const methods):
// one owner, like the partition that holds it.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include <Eigen/Cholesky>
#include <Eigen/Core>

#include "common/status.h"
#include "learning/feature_hasher.h"  // HashedFeature / SparseFeatures (plain structs)
#include "common/rng.h"

namespace driftline {

struct LinearBanditOptions {
  // Context dimension d. REQUIRES: 1 <= dim <= 1024. Default: 16
  int dim = 16;
  // Ridge lambda: A starts at lambda * I. REQUIRES: finite and > 0. Default: 1.0
  double ridge = 1.0;
};

Status ValidateLinearBanditOptions(const LinearBanditOptions& options);

// Folds a sparse hashed feature list (HashFeatures' output, or any subset of
// it) into a dense d-vector: every feature adds its value to x[index mod dim]. Features that collide in the same slot are
// summed (the usual feature-hashing trade-off; pick dim to keep collisions
// rare for the namespaces that feed the bandit). The order of the list does
// not matter up to floating-point summation order, which is the list order.
// Errors: InvalidArgument if dim < 1 or a value is not finite.
Result<Eigen::VectorXd> DenseContext(const SparseFeatures& features, int dim);

class LinearArmState {
 public:
  // A = ridge * I, b = 0. REQUIRES: ValidateLinearBanditOptions(options).ok().
  explicit LinearArmState(const LinearBanditOptions& options = {});

  // Rebuilds a state from ArmSnapshot::linear_a (row-major dim * dim) and
  // ArmSnapshot::linear_b (dim). Both empty means "no context seen yet" and
  // yields the fresh state for `options`. Errors: InvalidArgument for invalid
  // options; Corruption if the sizes disagree with options.dim, a number is
  // not finite, A is not symmetric or not positive definite.
  static Result<LinearArmState> FromSnapshot(const std::vector<double>& linear_a,
                                             const std::vector<double>& linear_b,
                                             const LinearBanditOptions& options = {});
  // Writes A (row-major) and b; FromSnapshot of the output equals *this
  // exactly (bit for bit).
  void ToSnapshot(std::vector<double>* linear_a, std::vector<double>* linear_b) const;

  // A += x x^T, b += reward * x. Errors: InvalidArgument if x.size() != dim()
  // or x / reward are not finite; the state is unchanged on error.
  Status Update(const Eigen::VectorXd& x, double reward);

  int dim() const { return static_cast<int>(b_.size()); }
  const Eigen::MatrixXd& a() const { return a_; }
  const Eigen::VectorXd& b() const { return b_; }

  // Everything below REQUIRES: x.size() == dim().
  // theta_hat = A^-1 b (Cholesky solve).
  Eigen::VectorXd Theta() const;
  // theta_hat . x
  double Mean(const Eigen::VectorXd& x) const;
  // sqrt(x^T A^-1 x): the confidence width; shrinks as data along x grows.
  double Width(const Eigen::VectorXd& x) const;
  // Mean(x) + alpha * Width(x).
  double UcbScore(const Eigen::VectorXd& x, double alpha) const;
  // theta ~ N(theta_hat, v^2 A^-1) as theta_hat + v * L^-T z, z ~ N(0, I)
  // (d calls to Rng::NextGaussian, in index order). REQUIRES: v >= 0.
  Eigen::VectorXd SampleTheta(double v, Rng& rng) const;

  bool operator==(const LinearArmState& o) const { return a_ == o.a_ && b_ == o.b_; }

 private:
  LinearArmState(Eigen::MatrixXd a, Eigen::VectorXd b);
  // The Cholesky factor of a_, recomputed if an update made it stale.
  const Eigen::LLT<Eigen::MatrixXd>& Factor() const {
    if (stale_) {
      llt_.compute(a_);
      stale_ = false;
    }
    return llt_;
  }

  Eigen::MatrixXd a_;
  Eigen::VectorXd b_;
  mutable Eigen::LLT<Eigen::MatrixXd> llt_;  // of a_ unless stale_
  mutable bool stale_ = true;
};

}  // namespace driftline
