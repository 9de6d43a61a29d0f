//===- IRText.h - helpers for writing MLIR as text --------------*- C++ -*-===//
#ifndef STDE_LIB_API_IRTEXT_H
#define STDE_LIB_API_IRTEXT_H

#include <cstdio>
#include <string>

namespace stde {

/// A double as an MLIR float literal that round-trips exactly. MLIR needs a
/// '.' before any exponent (1.0e-08, not 1e-08).
inline std::string mlirFloat(double v) {
  char buffer[40];
  std::snprintf(buffer, sizeof buffer, "%.17g", v);
  std::string s = buffer;
  if (s.find_first_of(".n") == std::string::npos) {
    size_t e = s.find_first_of("eE");
    s.insert(e == std::string::npos ? s.size() : e, ".0");
  }
  return s;
}

} // namespace stde

#endif // STDE_LIB_API_IRTEXT_H
