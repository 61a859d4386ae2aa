#include "learning/drift.h"

#include <cmath>

#include "learning/feature_hasher.h"

namespace driftline {

void DriftHistogramBuilder::Add(const FeatureSet& features) {
  for (const auto& ns : features) {
    auto& counts = counts_[ns.name];
    if (counts.empty()) counts.assign(kDriftBuckets, 0.0);
    const uint32_t seed = NamespaceSeed(ns.name);
    for (const auto& f : ns.features) {
      if (f.value == 0.0) continue;
      counts[FeatureHash(seed, f.name) % kDriftBuckets] += 1.0;
    }
  }
}

std::vector<NamespaceHistogram> DriftHistogramBuilder::Build() const {
  std::vector<NamespaceHistogram> out;
  out.reserve(counts_.size());
  for (const auto& [name, counts] : counts_) out.push_back({name, counts});
  return out;
}

double KlDivergence(const std::vector<double>& p, const std::vector<double>& q, double alpha) {
  double sum_p = 0, sum_q = 0;
  for (double v : p) sum_p += v;
  for (double v : q) sum_q += v;
  if (sum_p == 0 && sum_q == 0) return 0.0;
  const double k = static_cast<double>(p.size());
  const double norm_p = sum_p + alpha * k;
  const double norm_q = sum_q + alpha * k;
  double kl = 0.0;
  for (size_t i = 0; i < p.size(); ++i) {
    const double pi = (p[i] + alpha) / norm_p;
    const double qi = (q[i] + alpha) / norm_q;
    kl += pi * std::log(pi / qi);
  }
  return kl;
}

std::map<std::string, double> NamespaceDrift(const std::vector<NamespaceHistogram>& serving,
                                             const std::vector<NamespaceHistogram>& training) {
  std::map<std::string, const std::vector<double>*> s, t;
  for (const auto& h : serving) s[h.name] = &h.counts;
  for (const auto& h : training) t[h.name] = &h.counts;
  const std::vector<double> empty(kDriftBuckets, 0.0);
  std::map<std::string, double> out;
  auto compare = [&](const std::string& name) {
    const auto* p = s.count(name) ? s[name] : &empty;
    const auto* q = t.count(name) ? t[name] : &empty;
    if (p->size() != q->size()) return;  // foreign bucket count: not comparable
    out[name] = KlDivergence(*p, *q);
  };
  for (const auto& [name, _] : s) compare(name);
  for (const auto& [name, _] : t) {
    if (!out.count(name)) compare(name);
  }
  return out;
}

}  // namespace driftline
