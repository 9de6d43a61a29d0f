//===- JetMeasure.cpp - what one coefficient of a pushed jet measures -----===//
#include "stde/Planner/JetMeasure.h"

#include <algorithm>
#include <functional>

namespace stde::planner {

bool JetDirection::isOneHot() const {
  for (const auto &[slot, vector] : slots)
    if (vector.size() != 1 || vector.begin()->second != Rational(1))
      return false;
  return true;
}

bool JetDirection::mayBeNonzero(int64_t k) const {
  // Reachable sums of slot sizes, by dynamic programming over 0..k.
  std::vector<bool> reachable(k + 1, false);
  reachable[0] = true;
  for (int64_t total = 1; total <= k; ++total)
    for (const auto &[slot, vector] : slots)
      if (slot <= total && reachable[total - slot])
        reachable[total] = true;
  return reachable[k];
}

bool JetDirection::operator<(const JetDirection &other) const {
  if (order != other.order)
    return order < other.order;
  return std::lexicographical_compare(
      slots.begin(), slots.end(), other.slots.begin(), other.slots.end(),
      [](const auto &a, const auto &b) {
        if (a.first != b.first)
          return a.first < b.first;
        return std::lexicographical_compare(
            a.second.begin(), a.second.end(), b.second.begin(), b.second.end(),
            [](const auto &x, const auto &y) {
              return x.first != y.first ? x.first < y.first : x.second < y.second;
            });
      });
}

bool JetDirection::operator==(const JetDirection &other) const {
  return !(*this < other) && !(other < *this);
}

std::vector<SlotPartition> partitionsIntoSlots(int64_t k,
                                               const std::vector<int64_t> &slotSizes) {
  // Distinct sizes, largest first.
  std::vector<int64_t> sizes = slotSizes;
  std::sort(sizes.rbegin(), sizes.rend());
  sizes.erase(std::unique(sizes.begin(), sizes.end()), sizes.end());

  std::vector<SlotPartition> result;
  std::map<int64_t, int64_t> counts;
  // Choose how many parts of each size.
  std::function<void(size_t, int64_t)> choose = [&](size_t index, int64_t left) {
    if (left == 0) {
      Rational denominator(1);
      for (const auto &[size, count] : counts) {
        denominator = denominator * factorial(count);
        for (int64_t i = 0; i < count; ++i)
          denominator = denominator * factorial(size);
      }
      result.push_back({counts, factorial(k) / denominator});
      return;
    }
    if (index == sizes.size())
      return;
    int64_t size = sizes[index];
    for (int64_t count = left / size; count >= 0; --count) {
      if (count)
        counts[size] = count;
      choose(index + 1, left - count * size);
      counts.erase(size);
    }
  };
  choose(0, k);
  return result;
}

/// Expand <D^r u, v_1 ... v_r> over the coordinates of the sparse vectors.
static void expandTensorProduct(const std::vector<const SparseVector *> &factors,
                                const Rational &scale, LinearForm &form) {
  MultiIndex alpha;
  std::function<void(size_t, Rational)> expand = [&](size_t index, Rational product) {
    if (index == factors.size()) {
      MultiIndex sorted = alpha;
      std::sort(sorted.begin(), sorted.end());
      accumulate(form, LinearForm{{sorted, Rational(1)}}, product);
      return;
    }
    for (const auto &[coordinate, entry] : *factors[index]) {
      alpha.push_back(coordinate);
      expand(index + 1, product * entry);
      alpha.pop_back();
    }
  };
  expand(0, scale);
}

LinearForm measure(const JetDirection &jet, int64_t k) {
  LinearForm form;
  if (k == 0) {
    form[{}] = Rational(1);
    return form;
  }
  std::vector<int64_t> sizes;
  for (const auto &[slot, vector] : jet.slots)
    if (slot <= k && !vector.empty())
      sizes.push_back(slot);
  for (const SlotPartition &partition : partitionsIntoSlots(k, sizes)) {
    std::vector<const SparseVector *> factors;
    for (const auto &[size, count] : partition.counts)
      for (int64_t i = 0; i < count; ++i)
        factors.push_back(&jet.slots.at(size));
    expandTensorProduct(factors, partition.multiplicity, form);
  }
  return form;
}

std::string toString(const JetDirection &jet) {
  std::string text = "(";
  for (int64_t slot = 1; slot <= jet.order; ++slot) {
    if (slot > 1)
      text += ", ";
    auto it = jet.slots.find(slot);
    if (it == jet.slots.end() || it->second.empty()) {
      text += "0";
      continue;
    }
    bool first = true;
    for (const auto &[coordinate, entry] : it->second) {
      appendTerm(text, first, entry, "e" + std::to_string(coordinate), true);
      first = false;
    }
  }
  return text + ")";
}

} // namespace stde::planner
