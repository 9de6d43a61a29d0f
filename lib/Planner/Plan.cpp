//===- Plan.cpp - jets and extraction weights, merged and costed ----------===//
#include "stde/Planner/JetPlanner.h"

#include <algorithm>

namespace stde::planner {

LinearForm Plan::evaluate() const {
  LinearForm form;
  for (const Extraction &e : extractions)
    accumulate(form, measure(jets[e.jet], e.coefficient), e.weight);
  return form;
}

void Plan::append(const Plan &other, const Rational &scale) {
  size_t base = jets.size();
  jets.insert(jets.end(), other.jets.begin(), other.jets.end());
  for (const Extraction &e : other.extractions)
    extractions.push_back({base + e.jet, e.coefficient, e.weight * scale});
}

/// The jet truncated to order k: coefficient k only depends on slots <= k.
static JetDirection truncate(const JetDirection &jet, int64_t k) {
  JetDirection result;
  result.order = std::max<int64_t>(k, 1);
  for (const auto &[slot, vector] : jet.slots)
    if (slot <= k && !vector.empty())
      result.slots[slot] = vector;
  return result;
}

void Plan::merge() {
  // Every extraction only needs the jet's slots up to its coefficient. Read
  // the highest coefficients first so that lower ones find a longer jet
  // whose prefix they are.
  std::map<std::pair<JetDirection, int64_t>, Rational> needed;
  for (const Extraction &e : extractions) {
    auto key = std::make_pair(truncate(jets[e.jet], e.coefficient), e.coefficient);
    needed[key] = needed[key] + e.weight;
  }
  std::vector<std::pair<std::pair<JetDirection, int64_t>, Rational>> work(needed.begin(),
                                                                         needed.end());
  std::stable_sort(work.begin(), work.end(), [](const auto &a, const auto &b) {
    return a.first.second > b.first.second;
  });

  Plan merged;
  for (const auto &[key, weight] : work) {
    if (weight.num == 0)
      continue;
    const auto &[prefix, k] = key;
    size_t found = merged.jets.size();
    for (size_t i = 0; i < merged.jets.size() && found == merged.jets.size(); ++i)
      if (merged.jets[i].order >= k && truncate(merged.jets[i], k).slots == prefix.slots)
        found = i;
    if (found == merged.jets.size())
      merged.jets.push_back(prefix);
    merged.extractions.push_back({found, k, weight});
  }
  *this = std::move(merged);
}

int64_t Plan::maxOrder() const {
  int64_t order = 0;
  for (const JetDirection &jet : jets)
    order = std::max(order, jet.order);
  return order;
}

std::string Plan::toString() const {
  std::string text;
  for (const Extraction &e : extractions) {
    if (!text.empty())
      text += " + ";
    text += planner::toString(e.weight) + " * d" + std::to_string(e.coefficient) +
            planner::toString(jets[e.jet]);
  }
  return text.empty() ? "0" : text;
}

double planCost(const Plan &plan, const PlannerOptions &options) {
  double cost = 0;
  for (const JetDirection &jet : plan.jets) {
    double work = 0;
    for (int64_t k = 1; k <= jet.order; ++k)
      if (jet.mayBeNonzero(k))
        work += k;
    cost += work * (jet.isOneHot() ? 1.0 : options.denseTangentCost);
  }
  return cost;
}

void patternOf(const MultiIndex &alpha, std::vector<int64_t> &pattern,
               std::vector<int64_t> &coordinates) {
  std::map<int64_t, int64_t> counts;
  for (int64_t coordinate : alpha)
    ++counts[coordinate];
  std::vector<std::pair<int64_t, int64_t>> sorted(counts.begin(), counts.end());
  // Highest multiplicity first; ties by coordinate, so the pattern is canonical.
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const auto &a, const auto &b) { return a.second > b.second; });
  pattern.clear();
  coordinates.clear();
  for (const auto &[coordinate, count] : sorted) {
    pattern.push_back(count);
    coordinates.push_back(coordinate);
  }
}

Plan instantiate(const Plan &plan, const std::vector<int64_t> &coordinates) {
  Plan result = plan;
  for (JetDirection &jet : result.jets)
    for (auto &[slot, vector] : jet.slots) {
      SparseVector renamed;
      for (const auto &[t, entry] : vector)
        renamed[coordinates.at(t)] = entry;
      vector = std::move(renamed);
    }
  return result;
}

} // namespace stde::planner
