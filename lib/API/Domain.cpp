//===- Domain.cpp - where a problem's points are drawn --------------------===//
//
// Samplers are emitted as small functions of (seed, step); each is one
// random draw of the whole batch plus one elementwise map, so they fuse into
// the step like any other tensor code and the CPU and GPU paths draw the
// same numbers (the rng dialect's Philox lowering).
//
//===----------------------------------------------------------------------===//
#include "Domain.h"

#include "dialects/stde/StdeOps.h"

#include "mlir/IR/BuiltinAttributes.h"

#include <sstream>

using namespace mlir;
using namespace stde;

namespace {

std::string denseVector(const TensorTypes &ty, const std::vector<double> &values) {
  std::string s = "arith.constant dense<[";
  for (size_t i = 0; i < values.size(); ++i)
    s += (i ? ", " : "") + mlirFloat(values[i]);
  return s + "]> : " + ty.vec(int64_t(values.size()));
}

/// The opening of a sampler: signature and the draws %main (N x D, of the
/// given distribution) and, when `aux`, %aux (N, uniform).
void header(std::ostream &os, const TensorTypes &ty, const std::string &name, int64_t n,
            int64_t d, const char *distribution, uint32_t stream, bool aux, uint32_t auxStream) {
  os << "func.func @" << name << "(%seed: i64, %step: i64) -> " << ty.mat(n, d) << " {\n"
     << "  %main = rng.draw " << distribution << " %seed, %step stream " << stream << " : "
     << ty.mat(n, d) << "\n";
  if (aux)
    os << "  %aux = rng.draw uniform %seed, %step stream " << auxStream << " : " << ty.vec(n)
       << "\n";
  os << "  %empty = tensor.empty() : " << ty.mat(n, d) << "\n";
}

/// An extra input of the per-coordinate map: one value per point (i) or
/// per coordinate (j).
struct Operand {
  std::string name, type;
  bool perPoint;
};

/// linalg.generic over (i, j) reading %main[i, j], then the extra operands
/// (%name_i in the body); `body` computes %r from %m and the extras.
void pointwise(std::ostream &os, const TensorTypes &ty, int64_t n, int64_t d,
               const std::vector<Operand> &extras, const std::string &body) {
  std::string pts = ty.mat(n, d);
  os << "  %xs = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>";
  for (const auto &extra : extras)
    os << ", " << (extra.perPoint ? "affine_map<(i, j) -> (i)>" : "affine_map<(i, j) -> (j)>");
  os << ", affine_map<(i, j) -> (i, j)>], iterator_types = [\"parallel\", \"parallel\"]}\n"
     << "      ins(%main";
  for (const auto &extra : extras)
    os << ", %" << extra.name;
  os << " : " << pts;
  for (const auto &extra : extras)
    os << ", " << extra.type;
  os << ") outs(%empty : " << pts << ") {\n  ^bb0(%m: " << ty.t;
  for (const auto &extra : extras)
    os << ", %" << extra.name << "_i: " << ty.t;
  os << ", %o: " << ty.t << "):\n"
     << body << "    linalg.yield %r : " << ty.t << "\n  } -> " << pts << "\n"
     << "  return %xs : " << pts << "\n}\n";
}

/// Unit ball: %main Gaussian rows scaled to length %aux (interior) or 1.
std::string ballSampler(const TensorTypes &ty, const std::string &name, int64_t n, int64_t d,
                        uint32_t stream, uint32_t auxStream, bool onSphere) {
  std::ostringstream os;
  std::string pts = ty.mat(n, d), col = ty.vec(n), t = ty.t;
  header(os, ty, name, n, d, "gaussian", stream, !onSphere, auxStream);
  os << "  %z0 = arith.constant 0.0 : " << t << "\n"
     << "  %e0 = tensor.empty() : " << col << "\n"
     << "  %zf = linalg.fill ins(%z0 : " << t << ") outs(%e0 : " << col << ") -> " << col << "\n"
     << "  %g2 = arith.mulf %main, %main : " << pts << "\n"
     << "  %ss = linalg.reduce ins(%g2 : " << pts << ") outs(%zf : " << col << ") dimensions = [1]\n"
     << "    (%in: " << t << ", %acc: " << t << ") {\n"
     << "      %s = arith.addf %in, %acc : " << t << "\n"
     << "      linalg.yield %s : " << t << "\n    }\n"
     << "  %norm = math.sqrt %ss : " << col << "\n";
  if (onSphere) {
    os << "  %ones = arith.constant dense<1.0> : " << col << "\n"
       << "  %scale = arith.divf %ones, %norm : " << col << "\n";
  } else {
    os << "  %scale = arith.divf %aux, %norm : " << col << "\n";
  }
  pointwise(os, ty, n, d, {{"scale", col, true}}, "    %r = arith.mulf %m, %scale_i : " + t + "\n");
  return os.str();
}

/// Brownian space-time points: t = T * aux (or T), x = sqrt(sigma^2 t) g.
std::string brownianSampler(const Domain &domain, const TensorTypes &ty, const std::string &name,
                            int64_t n, uint32_t stream, uint32_t auxStream, bool terminal) {
  std::ostringstream os, body;
  std::string t = ty.t;
  header(os, ty, name, n, domain.dim, "gaussian", stream, !terminal, auxStream);
  body << "    %j = linalg.index 1 : index\n"
       << "    %tcol = arith.constant " << domain.dim - 1 << " : index\n"
       << "    %isTime = arith.cmpi eq, %j, %tcol : index\n";
  if (terminal) {
    body << "    %time = arith.constant " << mlirFloat(domain.horizon) << " : " << t << "\n";
  } else {
    body << "    %horizon = arith.constant " << mlirFloat(domain.horizon) << " : " << t << "\n"
         << "    %time = arith.mulf %horizon, %aux_i : " << t << "\n";
  }
  body << "    %sigma2 = arith.constant " << mlirFloat(domain.diffusion) << " : " << t << "\n"
       << "    %var = arith.mulf %sigma2, %time : " << t << "\n"
       << "    %sd = math.sqrt %var : " << t << "\n"
       << "    %x = arith.mulf %m, %sd : " << t << "\n"
       << "    %r = arith.select %isTime, %time, %x : " << t << "\n";
  std::vector<Operand> extras;
  if (!terminal)
    extras.push_back({"aux", ty.vec(n), true});
  std::string text = body.str();
  pointwise(os, ty, n, domain.dim, extras, text);
  return os.str();
}

/// Box: every coordinate uniform in [lower, upper]; on the boundary one
/// spatial coordinate (the face, from %aux) is pinned to a bound.
std::string boxSampler(const Domain &domain, const TensorTypes &ty, const std::string &name,
                       int64_t n, uint32_t stream, uint32_t auxStream, bool onFaces) {
  std::ostringstream os, body;
  std::string t = ty.t, row = ty.vec(domain.dim);
  std::vector<double> width(domain.dim);
  for (int64_t j = 0; j < domain.dim; ++j)
    width[j] = domain.upper[j] - domain.lower[j];
  header(os, ty, name, n, domain.dim, "uniform", stream, onFaces, auxStream);
  os << "  %lower = " << denseVector(ty, domain.lower) << "\n"
     << "  %width = " << denseVector(ty, width) << "\n";
  body << "    %scaled = arith.mulf %m, %width_i : " << t << "\n";
  std::vector<Operand> extras;
  if (onFaces) {
    // face k = floor(aux * 2 Ds) in [0, 2 Ds): coordinate k / 2, upper if k odd.
    int64_t faces = 2 * domain.spatialDim;
    body << "    %inside = arith.addf %lower_i, %scaled : " << t << "\n"
         << "    %nf = arith.constant " << mlirFloat(double(faces)) << " : " << t << "\n"
         << "    %kf = arith.mulf %aux_i, %nf : " << t << "\n"
         << "    %k0 = arith.fptosi %kf : " << t << " to i64\n"
         << "    %kmax = arith.constant " << faces - 1 << " : i64\n"
         << "    %k = arith.minsi %k0, %kmax : i64\n"
         << "    %two = arith.constant 2 : i64\n"
         << "    %one = arith.constant 1 : i64\n"
         << "    %coord = arith.divui %k, %two : i64\n"
         << "    %side = arith.remui %k, %two : i64\n"
         << "    %j = linalg.index 1 : index\n"
         << "    %ji = arith.index_cast %j : index to i64\n"
         << "    %onFace = arith.cmpi eq, %ji, %coord : i64\n"
         << "    %isUpper = arith.cmpi eq, %side, %one : i64\n"
         << "    %up = arith.addf %lower_i, %width_i : " << t << "\n"
         << "    %face = arith.select %isUpper, %up, %lower_i : " << t << "\n"
         << "    %r = arith.select %onFace, %face, %inside : " << t << "\n";
    extras.push_back({"aux", ty.vec(n), true});
  } else {
    body << "    %r = arith.addf %lower_i, %scaled : " << t << "\n";
  }
  extras.push_back({"lower", row, false});
  extras.push_back({"width", row, false});
  std::string text = body.str();
  pointwise(os, ty, n, domain.dim, extras, text);
  return os.str();
}

LogicalResult readBounds(ModuleOp module, const char *name, int64_t dim,
                         std::vector<double> &out) {
  auto attr = module->getAttrOfType<DenseF64ArrayAttr>(name);
  if (!attr || int64_t(attr.size()) != dim)
    return module.emitError("the \"box\" domain needs `") << name << " = array<f64: ...>` with "
                                                          << dim
                                                          << " entries (one per coordinate of @u)";
  out.assign(attr.asArrayRef().begin(), attr.asArrayRef().end());
  return success();
}

} // namespace

FailureOr<Domain> stde::readDomain(ModuleOp module, NetworkOp u) {
  auto name = module->getAttrOfType<StringAttr>("stde.domain");
  if (!name)
    return module.emitError("the problem module names no domain: write `module attributes "
                            "{stde.domain = \"unit_ball\"} { ... }` (or \"brownian\", \"box\")");
  Domain domain;
  domain.dim = u.getInputDim();
  domain.spatialDim = u.getSpatialDim();
  bool spaceTime = u.getSpaceTime();
  if (name.getValue() == "unit_ball") {
    if (spaceTime)
      return module.emitError("the \"unit_ball\" domain draws every coordinate from the ball: a "
                              "space-time @u needs the \"brownian\" or \"box\" domain");
    return domain;
  }
  if (name.getValue() == "brownian") {
    domain.kind = Domain::Kind::brownian;
    if (!spaceTime)
      return module.emitError("the \"brownian\" domain draws (x, t): mark @u `attributes "
                              "{space_time}` (time is its last coordinate)");
    auto horizon = module->getAttrOfType<FloatAttr>("stde.horizon");
    if (!horizon || !(horizon.getValueAsDouble() > 0.0))
      return module.emitError("the \"brownian\" domain needs the terminal time: `stde.horizon = "
                              "0.3 : f64` (positive)");
    domain.horizon = horizon.getValueAsDouble();
    if (auto diffusion = module->getAttrOfType<FloatAttr>("stde.diffusion")) {
      domain.diffusion = diffusion.getValueAsDouble();
      if (!(domain.diffusion > 0.0))
        return module.emitError("`stde.diffusion` (sigma^2) must be positive");
    }
    return domain;
  }
  if (name.getValue() == "box") {
    domain.kind = Domain::Kind::box;
    if (failed(readBounds(module, "stde.lower", domain.dim, domain.lower)) ||
        failed(readBounds(module, "stde.upper", domain.dim, domain.upper)))
      return failure();
    for (int64_t j = 0; j < domain.dim; ++j)
      if (!(domain.lower[j] < domain.upper[j]))
        return module.emitError("the \"box\" domain needs stde.lower < stde.upper in every "
                                "coordinate; coordinate ")
               << j << " has [" << domain.lower[j] << ", " << domain.upper[j] << "]";
    return domain;
  }
  return module.emitError("unknown domain '")
         << name.getValue() << "': use \"unit_ball\", \"brownian\" or \"box\"";
}

namespace {

/// The interior or boundary sampler of a domain (the two differ only in the
/// flag each domain's sampler takes).
std::string sampler(const Domain &domain, const TensorTypes &ty, const std::string &name,
                    int64_t n, uint32_t stream, uint32_t auxStream, bool boundary) {
  switch (domain.kind) {
  case Domain::Kind::unitBall:
    return ballSampler(ty, name, n, domain.dim, stream, auxStream, /*onSphere=*/boundary);
  case Domain::Kind::brownian:
    return brownianSampler(domain, ty, name, n, stream, auxStream, /*terminal=*/boundary);
  case Domain::Kind::box:
    return boxSampler(domain, ty, name, n, stream, auxStream, /*onFaces=*/boundary);
  }
  return "";
}

} // namespace

std::string stde::interiorSampler(const Domain &domain, const TensorTypes &ty,
                                  const std::string &name, int64_t n, uint32_t stream,
                                  uint32_t auxStream) {
  return sampler(domain, ty, name, n, stream, auxStream, /*boundary=*/false);
}

std::string stde::boundarySampler(const Domain &domain, const TensorTypes &ty,
                                  const std::string &name, int64_t n, uint32_t stream,
                                  uint32_t auxStream) {
  return sampler(domain, ty, name, n, stream, auxStream, /*boundary=*/true);
}
