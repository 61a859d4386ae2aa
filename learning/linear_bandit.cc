#include "learning/linear_bandit.h"

#include <cassert>
#include <cmath>
#include <string>

namespace driftline {

Status ValidateLinearBanditOptions(const LinearBanditOptions& options) {
  if (options.dim < 1 || options.dim > 1024) {
    return Status::InvalidArgument("linear bandit dim must be in [1, 1024], got " +
                                   std::to_string(options.dim));
  }
  if (!std::isfinite(options.ridge) || options.ridge <= 0.0) {
    return Status::InvalidArgument("linear bandit ridge must be finite and > 0");
  }
  return Status::Ok();
}

Result<Eigen::VectorXd> DenseContext(const SparseFeatures& features, int dim) {
  if (dim < 1) return Status::InvalidArgument("dense context dim must be >= 1");
  Eigen::VectorXd x = Eigen::VectorXd::Zero(dim);
  for (const HashedFeature& f : features) {
    if (!std::isfinite(f.value)) {
      return Status::InvalidArgument("feature " + std::to_string(f.index) + " has a non-finite value");
    }
    x[static_cast<Eigen::Index>(f.index % static_cast<uint32_t>(dim))] += f.value;
  }
  return x;
}

LinearArmState::LinearArmState(const LinearBanditOptions& options)
    : LinearArmState(options.ridge * Eigen::MatrixXd::Identity(options.dim, options.dim),
                     Eigen::VectorXd::Zero(options.dim)) {
  assert(ValidateLinearBanditOptions(options).ok());
}

LinearArmState::LinearArmState(Eigen::MatrixXd a, Eigen::VectorXd b)
    : a_(std::move(a)), b_(std::move(b)) {
  // Factor once now: a default-constructed LLT holds an uninitialized status,
  // which copying the state would read.
  Factor();
}

Result<LinearArmState> LinearArmState::FromSnapshot(const std::vector<double>& linear_a,
                                                    const std::vector<double>& linear_b,
                                                    const LinearBanditOptions& options) {
  DRIFTLINE_RETURN_IF_ERROR(ValidateLinearBanditOptions(options));
  if (linear_a.empty() && linear_b.empty()) return LinearArmState(options);
  const size_t d = static_cast<size_t>(options.dim);
  if (linear_b.size() != d || linear_a.size() != d * d) {
    return Status::Corruption("linear bandit snapshot has sizes A=" +
                              std::to_string(linear_a.size()) + " b=" +
                              std::to_string(linear_b.size()) + ", expected dim " +
                              std::to_string(d));
  }
  Eigen::MatrixXd a(options.dim, options.dim);
  Eigen::VectorXd b(options.dim);
  for (size_t i = 0; i < d; ++i) {
    if (!std::isfinite(linear_b[i])) return Status::Corruption("linear bandit b is not finite");
    b[static_cast<Eigen::Index>(i)] = linear_b[i];
    for (size_t j = 0; j < d; ++j) {
      const double v = linear_a[i * d + j];
      if (!std::isfinite(v)) return Status::Corruption("linear bandit A is not finite");
      a(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) = v;
    }
  }
  if (a != a.transpose()) return Status::Corruption("linear bandit A is not symmetric");
  LinearArmState state(std::move(a), std::move(b));
  if (state.Factor().info() != Eigen::Success) {
    return Status::Corruption("linear bandit A is not positive definite");
  }
  return state;
}

void LinearArmState::ToSnapshot(std::vector<double>* linear_a,
                                std::vector<double>* linear_b) const {
  const Eigen::Index d = a_.rows();
  linear_a->resize(static_cast<size_t>(d * d));
  linear_b->resize(static_cast<size_t>(d));
  for (Eigen::Index i = 0; i < d; ++i) {
    (*linear_b)[static_cast<size_t>(i)] = b_[i];
    for (Eigen::Index j = 0; j < d; ++j) (*linear_a)[static_cast<size_t>(i * d + j)] = a_(i, j);
  }
}

Status LinearArmState::Update(const Eigen::VectorXd& x, double reward) {
  if (x.size() != b_.size()) {
    return Status::InvalidArgument("context has dim " + std::to_string(x.size()) +
                                   ", arm state has dim " + std::to_string(b_.size()));
  }
  if (!x.allFinite() || !std::isfinite(reward)) {
    return Status::InvalidArgument("context or reward is not finite");
  }
  a_.noalias() += x * x.transpose();
  b_.noalias() += reward * x;
  stale_ = true;
  return Status::Ok();
}

Eigen::VectorXd LinearArmState::Theta() const { return Factor().solve(b_); }

double LinearArmState::Mean(const Eigen::VectorXd& x) const {
  assert(x.size() == b_.size());
  return Theta().dot(x);
}

double LinearArmState::Width(const Eigen::VectorXd& x) const {
  assert(x.size() == b_.size());
  // x^T A^-1 x = x^T L^-T L^-1 x = |L^-1 x|^2.
  const Eigen::VectorXd y = Factor().matrixL().solve(x);
  return y.norm();
}

double LinearArmState::UcbScore(const Eigen::VectorXd& x, double alpha) const {
  return Mean(x) + alpha * Width(x);
}

Eigen::VectorXd LinearArmState::SampleTheta(double v, Rng& rng) const {
  assert(v >= 0.0);
  Eigen::VectorXd z(b_.size());
  for (Eigen::Index i = 0; i < z.size(); ++i) z[i] = rng.NextGaussian();
  // Cov(L^-T z) = L^-T L^-1 = (L L^T)^-1 = A^-1.
  const Eigen::VectorXd noise = Factor().matrixU().solve(z);
  return Theta() + v * noise;
}

}  // namespace driftline
