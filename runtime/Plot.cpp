//===- Plot.cpp - loss and error curves as an SVG file --------------------===//
#include "runtime/Plot.h"
#include "runtime/OutputFile.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

namespace stde::runtime {

std::string writeSvgPlot(const std::string &path, const std::string &title,
                         const std::vector<Series> &series) {
  const double width = 720, height = 420, left = 70, right = 20, top = 40, bottom = 50;
  double xmax = 1, lo = 1e300, hi = -1e300;
  for (const Series &s : series)
    for (auto [x, y] : s.points)
      if (y > 0 && std::isfinite(y)) {
        xmax = std::max(xmax, x);
        lo = std::min(lo, std::log10(y));
        hi = std::max(hi, std::log10(y));
      }
  if (lo > hi)
    lo = -1, hi = 1;
  lo = std::floor(lo);
  hi = std::max(std::ceil(hi), lo + 1);
  auto px = [&](double x) { return left + (width - left - right) * x / xmax; };
  auto py = [&](double y) {
    return top + (height - top - bottom) * (hi - std::log10(y)) / (hi - lo);
  };
  std::ostringstream os;
  os << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << width << "\" height=\"" << height
     << "\" font-family=\"sans-serif\" font-size=\"12\">\n"
     << "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
     << "<text x=\"" << width / 2 << "\" y=\"22\" text-anchor=\"middle\" font-size=\"14\">"
     << title << "</text>\n";
  for (double e = lo; e <= hi; e += 1) {
    double y = top + (height - top - bottom) * (hi - e) / (hi - lo);
    os << "<line x1=\"" << left << "\" x2=\"" << width - right << "\" y1=\"" << y << "\" y2=\""
       << y << "\" stroke=\"#ddd\"/><text x=\"" << left - 6 << "\" y=\"" << y + 4
       << "\" text-anchor=\"end\">1e" << int(e) << "</text>\n";
  }
  os << "<text x=\"" << (left + width - right) / 2 << "\" y=\"" << height - 12
     << "\" text-anchor=\"middle\">step (0 .. " << xmax << ")</text>\n";
  int legend = 0;
  for (const Series &s : series) {
    os << "<polyline fill=\"none\" stroke=\"" << s.color << "\" stroke-width=\"1.5\" points=\"";
    for (auto [x, y] : s.points)
      if (y > 0 && std::isfinite(y))
        os << px(x) << "," << py(y) << " ";
    os << "\"/>\n<text x=\"" << width - right - 150 << "\" y=\"" << top + 16 * ++legend
       << "\" fill=\"" << s.color << "\">" << s.name << "</text>\n";
  }
  os << "</svg>\n";
  return replaceFileAtomically(path, os.str(), "the plot");
}

} // namespace stde::runtime
