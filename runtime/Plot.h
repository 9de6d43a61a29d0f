//===- Plot.h - loss and error curves as an SVG file ------------*- C++ -*-===//
#ifndef STDE_RUNTIME_PLOT_H
#define STDE_RUNTIME_PLOT_H

#include <string>
#include <utility>
#include <vector>

namespace stde::runtime {

struct Series {
  std::string name, color;
  std::vector<std::pair<double, double>> points; ///< (step, value > 0)
};

/// Writes a log-scale line plot of the series against the step; returns an
/// empty string or the error.
std::string writeSvgPlot(const std::string &path, const std::string &title,
                         const std::vector<Series> &series);

} // namespace stde::runtime

#endif // STDE_RUNTIME_PLOT_H
