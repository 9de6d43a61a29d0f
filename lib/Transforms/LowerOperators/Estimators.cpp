//===- Estimators.cpp - operators as jets: exact, sparse and dense STDE ---===//
#include "Estimators.h"
#include "SymmetricEigen.h"
#include "dialects/rng/RngLimits.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

#include "llvm/Support/Format.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>

using namespace mlir;
using namespace stde;
using namespace stde::lowering;
using jet::CoefficientKind;
using planner::LinearForm;
using planner::Rational;

LinearForm stde::lowering::laplacianForm(int64_t spatial) {
  LinearForm form;
  for (int64_t i = 0; i < spatial; ++i)
    form[{i, i}] = Rational(1);
  return form;
}

LinearForm stde::lowering::biharmonicForm(int64_t spatial) {
  // sum_ij u_iijj: u_iiii once, u_iijj (i < j) twice.
  LinearForm form;
  for (int64_t i = 0; i < spatial; ++i) {
    form[{i, i, i, i}] = Rational(1);
    for (int64_t j = i + 1; j < spatial; ++j)
      form[{i, i, j, j}] = Rational(2);
  }
  return form;
}

Value stde::lowering::emitExact(GroupEmitter &emitter, planner::JetPlanner &planner,
                                const LinearForm &op) {
  return emitter.emitPlan(planner.planOperator(op));
}

//===----------------------------------------------------------------------===//
// Sparse STDE
//===----------------------------------------------------------------------===//

namespace {

/// The terms of one pattern: per term its coordinates (abstract coordinate
/// t -> input coordinate) and coefficient.
struct TermClass {
  std::vector<int64_t> pattern;
  std::vector<std::vector<int64_t>> coordinates;
  std::vector<double> coefficients;
  double weight() const {
    double z = 0;
    for (double c : coefficients)
      z += std::abs(c);
    return z;
  }
};

/// value[ids[s]] for every sample s.
Value gather(OpBuilder &b, Location loc, Value table, Value ids) {
  auto idsType = cast<RankedTensorType>(ids.getType());
  auto tableType = cast<RankedTensorType>(table.getType());
  auto type = RankedTensorType::get(idsType.getShape(), tableType.getElementType());
  return tensor::GenerateOp::create(
      b, loc, type, ValueRange{}, [&](OpBuilder &b, Location loc, ValueRange indices) {
        Value id = tensor::ExtractOp::create(b, loc, ids, indices);
        Value value = tensor::ExtractOp::create(b, loc, table, id);
        tensor::YieldOp::create(b, loc, value);
      });
}

/// The tangent an abstract coordinate of a pattern stands for, per
/// direction: a basis vector (tensor<R x index>) or a dense vector at every
/// point (tensor<R x N x D>).
struct CoordinateTangent {
  CoefficientKind kind = CoefficientKind::onehot;
  Value value;
};

/// A dense tangent (R x N x D): sum_t entry_t v_t, v_t the tangent of
/// coordinate t in direction r at point n.
Value combineTangents(GroupEmitter &emitter,
                      ArrayRef<std::pair<CoordinateTangent, double>> entries, int64_t directions) {
  OpBuilder &b = emitter.builder();
  Location loc = emitter.location();
  Type element = emitter.elementType();
  auto type = RankedTensorType::get({directions, emitter.numPoints(), emitter.inputDim()},
                                    element);
  return tensor::GenerateOp::create(
      b, loc, type, ValueRange{}, [&](OpBuilder &b, Location loc, ValueRange idx) {
        Value zero = arith::ConstantOp::create(b, loc, b.getFloatAttr(element, 0.0));
        Value sum = zero;
        for (const auto &[tangent, entry] : entries) {
          Value value = arith::ConstantOp::create(b, loc, b.getFloatAttr(element, entry));
          Value term;
          if (tangent.kind == CoefficientKind::dense) {
            Value v = tensor::ExtractOp::create(b, loc, tangent.value, idx);
            term = arith::MulFOp::create(b, loc, value, v);
          } else {
            Value coordinate = tensor::ExtractOp::create(b, loc, tangent.value, idx[0]);
            Value hit =
                arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, coordinate, idx[2]);
            term = arith::SelectOp::create(b, loc, hit, value, zero);
          }
          sum = arith::AddFOp::create(b, loc, sum, term);
        }
        tensor::YieldOp::create(b, loc, sum);
      });
}

/// The plan of `pattern` instantiated with `coordinates` (one tangent per
/// abstract coordinate, R directions), every read weighted by `factor`
/// (tensor<R>): summed over the directions (tensor<N>), or with `blocks` > 0
/// per block of R / blocks consecutive directions (tensor<blocks x N>).
Value emitPatternJets(GroupEmitter &emitter, planner::JetPlanner &planner,
                      const std::vector<int64_t> &pattern,
                      ArrayRef<CoordinateTangent> coordinates, Value factor, int64_t directions,
                      int64_t blocks) {
  const planner::Plan &plan = planner.planPattern(pattern);
  Value sum;
  for (size_t p = 0; p < plan.jets.size(); ++p) {
    const planner::JetDirection &jet = plan.jets[p];
    JetGroup group;
    group.order = jet.order;
    group.directions = directions;
    for (int64_t slot = 1; slot <= jet.order; ++slot) {
      auto it = jet.slots.find(slot);
      if (it == jet.slots.end() || it->second.empty()) {
        group.slots.push_back({});
        continue;
      }
      const planner::SparseVector &v = it->second;
      if (v.size() == 1 && v.begin()->second == Rational(1)) {
        const CoordinateTangent &only = coordinates[v.begin()->first];
        group.slots.push_back({only.kind, only.value});
        continue;
      }
      SmallVector<std::pair<CoordinateTangent, double>> entries;
      for (const auto &[t, entry] : v)
        entries.push_back({coordinates[t], planner::toDouble(entry)});
      group.slots.push_back(
          {CoefficientKind::dense, combineTangents(emitter, entries, directions)});
    }
    for (const planner::Extraction &e : plan.extractions) {
      if (e.jet != p)
        continue;
      assert(e.coefficient > 0 && "a pattern with coordinates never reads u itself");
      Value weights = emitter.scale(factor, planner::toDouble(e.weight));
      group.reads.push_back({e.coefficient, weights});
    }
    if (!group.reads.empty())
      sum = emitter.add(sum, blocks > 0 ? emitter.emitPerBlock(group, blocks)
                                        : emitter.emit(group));
  }
  return sum;
}

/// `samples` independent integers uniform in [0, count): floor(u count) of
/// 53-bit uniforms (each value's probability within count / 2^53 of 1 / count).
Value uniformIndices(OpBuilder &b, Location loc, int64_t samples, int64_t count,
                     const RandomSource &random, uint32_t role) {
  auto drawType = RankedTensorType::get({samples}, b.getF64Type());
  Value u = rng::DrawOp::create(b, loc, drawType, rng::Distribution::uniform, random.seed,
                                random.step, random.stream + role);
  auto idsType = RankedTensorType::get({samples}, b.getIndexType());
  return tensor::GenerateOp::create(
      b, loc, idsType, ValueRange{}, [&](OpBuilder &b, Location loc, ValueRange idx) {
        Value x = tensor::ExtractOp::create(b, loc, u, idx);
        Value n = arith::ConstantOp::create(b, loc, b.getF64FloatAttr(double(count)));
        Value scaled = arith::MulFOp::create(b, loc, x, n);
        Value whole = arith::FPToUIOp::create(b, loc, b.getI64Type(), scaled);
        Value last = arith::ConstantIntOp::create(b, loc, b.getI64Type(), count - 1);
        Value clamped = arith::MinUIOp::create(b, loc, whole, last);
        tensor::YieldOp::create(
            b, loc, arith::IndexCastUIOp::create(b, loc, b.getIndexType(), clamped).getResult());
      });
}

/// Which terms of a class a group of jets computes, and their weights:
/// ids tensor<S x index> into the class's terms, factor tensor<S x T>.
/// `perBlock` > 0: the ids are consecutive blocks of that many, one block
/// per coordinate j of the partials (each block an estimate of its own).
struct ClassDraw {
  Value ids, factor;
  int64_t size = 0;
  int64_t perBlock = 0;
};

/// `samples` terms of a class: without replacement when every |C_alpha| is
/// equal (weighted by count / estimateSize), else drawn with probability
/// |C_alpha| / Z (weighted sign(C_alpha) Z / estimateSize); estimateSize is
/// the number of draws one estimate averages (`samples` unless the draws are
/// split into blocks).
ClassDraw drawClass(GroupEmitter &emitter, const TermClass &terms, int64_t samples,
                    const RandomSource &random, uint32_t role, int64_t perBlock = 0) {
  double estimateSize = double(perBlock > 0 ? perBlock : samples);
  OpBuilder &b = emitter.builder();
  Location loc = emitter.location();
  int64_t count = terms.coefficients.size();
  double magnitude = std::abs(terms.coefficients[0]);
  bool uniform = llvm::all_of(terms.coefficients,
                              [&](double c) { return std::abs(c) == magnitude; });
  auto idsType = RankedTensorType::get({samples}, b.getIndexType());
  Value ids;
  std::vector<double> factors;
  if (uniform && perBlock > 0) {
    // Independent uniform draws: Floyd's subset comes in no random order,
    // so its consecutive blocks would not each be uniform.
    ids = uniformIndices(b, loc, samples, count, random, role);
    for (double c : terms.coefficients)
      factors.push_back(c * double(count) / estimateSize);
  } else if (uniform) {
    ids = rng::SampleOp::create(b, loc, idsType, random.seed, random.step,
                                b.getI32IntegerAttr(random.stream + role),
                                b.getI64IntegerAttr(count));
    for (double c : terms.coefficients)
      factors.push_back(c * double(count) / estimateSize);
  } else {
    SmallVector<double> weights;
    for (double c : terms.coefficients)
      weights.push_back(std::abs(c));
    ids = rng::ChoiceOp::create(b, loc, idsType, random.seed, random.step,
                                b.getI32IntegerAttr(random.stream + role),
                                b.getDenseF64ArrayAttr(weights));
    double z = terms.weight();
    for (double c : terms.coefficients)
      factors.push_back((c > 0 ? z : -z) / estimateSize);
  }
  Value factor;
  if (llvm::all_of(factors, [&](double f) { return f == factors[0]; }))
    factor = emitter.splat(RankedTensorType::get({samples}, emitter.elementType()),
                           factors[0]);
  else
    factor = gather(b, loc, emitter.weightsConstant(factors), ids);
  return {ids, factor, samples, perBlock};
}

/// Every term of a class, with its coefficient.
ClassDraw allTerms(GroupEmitter &emitter, const TermClass &terms) {
  int64_t count = terms.coefficients.size();
  SmallVector<int64_t> ids;
  for (int64_t i = 0; i < count; ++i)
    ids.push_back(i);
  return {emitter.indexConstant(ids), emitter.weightsConstant(terms.coefficients), count};
}

/// values[r mod S] (repeat) or values[r div S] (spread) for r < m * S: the
/// direction r = j * S + s pairs term s with the j-th extra coordinate.
Value tile(OpBuilder &b, Location loc, Value values, int64_t blocks, int64_t blockSize,
           bool spread) {
  auto type = cast<RankedTensorType>(values.getType());
  auto tiled = RankedTensorType::get({blocks * blockSize}, type.getElementType());
  return tensor::GenerateOp::create(
      b, loc, tiled, ValueRange{}, [&](OpBuilder &b, Location loc, ValueRange idx) {
        Value size = arith::ConstantIndexOp::create(b, loc, blockSize);
        Value at = spread ? Value(arith::DivUIOp::create(b, loc, idx[0], size))
                          : Value(arith::RemUIOp::create(b, loc, idx[0], size));
        tensor::YieldOp::create(b, loc, tensor::ExtractOp::create(b, loc, values, at).getResult());
      });
}

/// The jets of the class's terms `draw` selects, summed with their factors:
/// tensor<N x T>. With `along` (tensor<m x index>), the terms each gain
/// the derivative along e_j for every j of `along` (pattern + one abstract
/// coordinate of multiplicity 1), summed per j: tensor<m x N x T>; every
/// drawn term serves every j, or with draw.perBlock its own block of terms
/// serves each j. The planner's formulas are identities of multilinear
/// forms, so they stay exact when j equals a coordinate of the term.
Value emitClassJets(GroupEmitter &emitter, planner::JetPlanner &planner, const TermClass &terms,
                    const ClassDraw &draw, Value along) {
  OpBuilder &b = emitter.builder();
  Location loc = emitter.location();
  int64_t count = terms.coefficients.size();

  // The input coordinate of each abstract coordinate, per direction.
  SmallVector<Value> coordinateOf;
  for (size_t t = 0; t < terms.pattern.size(); ++t) {
    std::vector<int64_t> column;
    bool identity = true;
    for (int64_t i = 0; i < count; ++i) {
      column.push_back(terms.coordinates[i][t]);
      identity &= column.back() == i;
    }
    coordinateOf.push_back(identity ? draw.ids
                                    : gather(b, loc, emitter.indexConstant(column), draw.ids));
  }
  std::vector<int64_t> pattern = terms.pattern;
  Value factor = draw.factor;
  int64_t directions = draw.size, blocks = 0;
  if (along && draw.perBlock > 0) {
    blocks = cast<RankedTensorType>(along.getType()).getDimSize(0);
    coordinateOf.push_back(tile(b, loc, along, blocks, draw.perBlock, /*spread=*/true));
    pattern.push_back(1);
  } else if (along) {
    blocks = cast<RankedTensorType>(along.getType()).getDimSize(0);
    for (Value &coordinate : coordinateOf)
      coordinate = tile(b, loc, coordinate, blocks, draw.size, /*spread=*/false);
    coordinateOf.push_back(tile(b, loc, along, blocks, draw.size, /*spread=*/true));
    factor = tile(b, loc, factor, blocks, draw.size, /*spread=*/false);
    pattern.push_back(1);
    directions *= blocks;
  }
  SmallVector<CoordinateTangent> tangents;
  for (Value coordinate : coordinateOf)
    tangents.push_back({CoefficientKind::onehot, coordinate});
  return emitPatternJets(emitter, planner, pattern, tangents, factor, directions, blocks);
}

/// The terms of an operator grouped by pattern; a term without derivatives
/// (u itself) has the empty pattern.
std::map<std::vector<int64_t>, TermClass> termClasses(const LinearForm &op) {
  std::map<std::vector<int64_t>, TermClass> classes;
  for (const auto &[alpha, coefficient] : op) {
    std::vector<int64_t> pattern, coordinates;
    if (!alpha.empty())
      planner::patternOf(alpha, pattern, coordinates);
    TermClass &c = classes[pattern];
    c.pattern = pattern;
    c.coordinates.push_back(coordinates);
    c.coefficients.push_back(planner::toDouble(coefficient));
  }
  return classes;
}

/// The samples of a class: its share of `samples` by weight (at least 1).
int64_t classShare(const TermClass &c, int64_t samples, double total) {
  return std::max<int64_t>(1, std::llround(samples * c.weight() / total));
}

} // namespace

Value stde::lowering::emitSparse(GroupEmitter &emitter, planner::JetPlanner &planner,
                                 const LinearForm &op, int64_t samples,
                                 const RandomSource &random, uint32_t firstRole,
                                 bool *sampled) {
  if (sampled)
    *sampled = false;
  std::map<std::vector<int64_t>, TermClass> classes = termClasses(op);
  LinearForm exact;
  if (auto primal = classes.find({}); primal != classes.end()) {
    exact[planner::MultiIndex{}] = op.at(planner::MultiIndex{});
    classes.erase(primal);
  }
  double total = 0;
  for (const auto &[pattern, c] : classes)
    total += c.weight();

  Value sum;
  uint32_t role = firstRole;
  for (const auto &[pattern, c] : classes) {
    int64_t share = classShare(c, samples, total);
    if (int64_t(c.coefficients.size()) <= share) {
      // Cheaper to compute exactly than to sample.
      for (size_t i = 0; i < c.coefficients.size(); ++i) {
        planner::MultiIndex alpha;
        for (size_t t = 0; t < pattern.size(); ++t)
          alpha.insert(alpha.end(), pattern[t], c.coordinates[i][t]);
        std::sort(alpha.begin(), alpha.end());
        exact[alpha] = op.at(alpha);
      }
      continue;
    }
    ClassDraw draw = drawClass(emitter, c, share, random, role++);
    sum = emitter.add(sum, emitClassJets(emitter, planner, c, draw, /*along=*/nullptr));
    if (sampled)
      *sampled = true;
  }
  if (!exact.empty())
    sum = emitter.add(sum, emitExact(emitter, planner, exact));
  return sum;
}

Value stde::lowering::emitPartials(GroupEmitter &emitter, planner::JetPlanner &planner,
                                   const LinearForm &op, int64_t samples, Value along,
                                   const RandomSource &random, uint32_t firstRole) {
  std::map<std::vector<int64_t>, TermClass> classes = termClasses(op);
  double total = 0;
  for (const auto &[pattern, c] : classes)
    total += c.weight();
  int64_t blocks = cast<RankedTensorType>(along.getType()).getDimSize(0);
  Value sum;
  uint32_t role = firstRole;
  for (const auto &[pattern, c] : classes) {
    int64_t count = c.coefficients.size();
    int64_t share = samples > 0 ? classShare(c, samples, total) : 0;
    // The class's share split over the m coordinates, at least one
    // independent draw each.
    int64_t perBlock = std::max<int64_t>(1, share / blocks);
    bool exact = samples == 0 || count <= share;
    ClassDraw draw = exact ? allTerms(emitter, c)
                           : drawClass(emitter, c, perBlock * blocks, random, role++, perBlock);
    sum = emitter.add(sum, emitClassJets(emitter, planner, c, draw, along));
  }
  return sum;
}

FailureOr<Value> stde::lowering::emitDenseLaplacianPartials(
    GroupEmitter &emitter, planner::JetPlanner &planner, int64_t spatial,
    rng::Distribution distribution, int64_t samples, Value along, const RandomSource &random) {
  OpBuilder &b = emitter.builder();
  Location loc = emitter.location();
  int64_t n = emitter.numPoints();
  int64_t blocks = cast<RankedTensorType>(along.getType()).getDimSize(0);
  // The samples split over the m coordinates j, at least one each:
  // direction r = j * q + s pairs z_r with e_j (D^3 u[z, z, e_j], pattern (2, 1)).
  int64_t perBlock = std::max<int64_t>(1, samples / blocks);
  int64_t directions = blocks * perBlock;
  FailureOr<Value> z =
      drawTangents(emitter, distribution, {directions, n, spatial}, random, roleTangents);
  if (failed(z))
    return failure();
  Value padded = emitter.padToInput(*z);
  Value js = tile(b, loc, along, blocks, perBlock, /*spread=*/true);
  Value factor = emitter.splat(RankedTensorType::get({directions}, emitter.elementType()),
                               1.0 / double(perBlock));
  CoordinateTangent coordinates[] = {{CoefficientKind::dense, padded},
                                     {CoefficientKind::onehot, js}};
  return emitPatternJets(emitter, planner, {2, 1}, coordinates, factor, directions, blocks);
}

//===----------------------------------------------------------------------===//
// Dense STDE
//===----------------------------------------------------------------------===//

/// Random tangents M z for every sample and point: z ~ distribution of size
/// S x N x r, M is D x r (columns `columns`), result S x N x D.
static Value mixedTangents(GroupEmitter &emitter, ArrayRef<std::vector<double>> columns,
                           Value z) {
  OpBuilder &b = emitter.builder();
  Location loc = emitter.location();
  auto zType = cast<RankedTensorType>(z.getType());
  int64_t s = zType.getDimSize(0), n = zType.getDimSize(1), r = columns.size();
  int64_t d = emitter.inputDim();
  auto mType = RankedTensorType::get({d, r}, emitter.elementType());
  // Raw data, not one attribute per entry: D x r can be millions of entries.
  std::vector<double> entries(size_t(d * r));
  for (int64_t i = 0; i < d; ++i)
    for (int64_t q = 0; q < r; ++q)
      entries[size_t(i * r + q)] = columns[q][i];
  DenseElementsAttr matrix;
  if (emitter.elementType().isF32())
    matrix = DenseElementsAttr::get(mType, ArrayRef<float>(std::vector<float>(entries.begin(),
                                                                               entries.end())));
  else
    matrix = DenseElementsAttr::get(mType, ArrayRef<double>(entries));
  Value m = arith::ConstantOp::create(b, loc, matrix);
  auto outType = RankedTensorType::get({s, n, d}, emitter.elementType());
  Value out = emitter.splat(outType, 0.0);
  MLIRContext *ctx = b.getContext();
  AffineExpr si, ni, di, qi;
  bindDims(ctx, si, ni, di, qi);
  SmallVector<AffineMap> maps{AffineMap::get(4, 0, {si, ni, qi}, ctx),
                              AffineMap::get(4, 0, {di, qi}, ctx),
                              AffineMap::get(4, 0, {si, ni, di}, ctx)};
  SmallVector<utils::IteratorType> iterators(3, utils::IteratorType::parallel);
  iterators.push_back(utils::IteratorType::reduction);
  return linalg::GenericOp::create(
             b, loc, TypeRange{outType}, ValueRange{z, m}, ValueRange{out}, maps, iterators,
             [](OpBuilder &b, Location loc, ValueRange args) {
               Value product = arith::MulFOp::create(b, loc, args[0], args[1]);
               Value sum = arith::AddFOp::create(b, loc, args[2], product);
               linalg::YieldOp::create(b, loc, sum);
             })
      .getResult(0);
}

/// One group of order K with random tangents in slot 1 reading d^K with
/// weight `weight` per direction.
static Value emitRandomJets(GroupEmitter &emitter, Value tangents, int64_t order,
                            double weight) {
  int64_t samples = cast<RankedTensorType>(tangents.getType()).getDimSize(0);
  JetGroup group;
  group.order = order;
  group.directions = samples;
  group.slots.push_back({CoefficientKind::dense, tangents});
  group.slots.resize(order);
  group.reads.push_back(
      {order, emitter.splat(RankedTensorType::get({samples}, emitter.elementType()), weight)});
  return emitter.emit(group);
}

FailureOr<Value> stde::lowering::drawTangents(GroupEmitter &emitter,
                                              rng::Distribution distribution,
                                              ArrayRef<int64_t> shape,
                                              const RandomSource &random, uint32_t role) {
  OpBuilder &b = emitter.builder();
  double count = double(random.share.ranks); // the whole batch's draw
  for (int64_t extent : shape)
    count *= double(extent);
  if (count > double(rng::kMaxDrawElements)) {
    std::string total;
    llvm::raw_string_ostream(total) << llvm::format("%.3g", count);
    return emitError(emitter.location())
           << "dense random tangents: " << shape[0] << " samples x " << shape[1]
           << " points x " << shape[2] << " coordinates = " << total
           << " random numbers per step, more than one random stream holds (2^32): use fewer "
              "samples or points, or #stde.sparse (one-hot tangents draw one index per sample)";
  }
  auto type = RankedTensorType::get(shape, emitter.elementType());
  // Dimension 1 counts points: a rank's share draws its rows of the whole
  // batch's tangents.
  DenseI64ArrayAttr offsets, whole;
  if (random.share.partial()) {
    offsets = b.getDenseI64ArrayAttr({0, random.share.firstRow(shape[1]), 0});
    whole = b.getDenseI64ArrayAttr({shape[0], shape[1] * random.share.ranks, shape[2]});
  }
  return Value(rng::DrawOp::create(b, emitter.location(), type, distribution, random.seed,
                                   random.step, uint32_t(random.stream + role), offsets,
                                   whole));
}

namespace {
/// The second-order part of an operator as a sparse symmetric matrix: u_ii
/// on the diagonal, u_ij (i != j) half in (i, j) and half in (j, i). Sparse
/// because a Laplacian in 10^6 dimensions has 10^6 entries, not 10^12.
using SymmetricEntries = std::map<std::pair<int64_t, int64_t>, double>;

/// A scaled Laplacian over the first `prefix` coordinates: `scale` * I there,
/// zero elsewhere. Its dense tangents need no mixing.
struct ScaledIdentityPrefix {
  int64_t prefix = 0;
  double scale = 0;
};

std::optional<ScaledIdentityPrefix> asScaledIdentityPrefix(const SymmetricEntries &c) {
  if (c.empty())
    return std::nullopt;
  ScaledIdentityPrefix found{0, c.begin()->second};
  for (const auto &[ij, value] : c) { // ordered: (0,0), (1,1), ... when it matches
    if (ij.first != found.prefix || ij.second != found.prefix || value != found.scale)
      return std::nullopt;
    ++found.prefix;
  }
  return found;
}

/// Coordinates a general second-order part may involve: its coefficient
/// matrix on them is eigendecomposed (cyclic Jacobi, cubic in this count).
constexpr int64_t kMaxMixedCoordinates = 512;
/// Entries of the D x r mixing matrix the tangents are made with.
constexpr int64_t kMaxMixingEntries = int64_t(1) << 24;
} // namespace

FailureOr<Value> stde::lowering::emitDenseSecondOrder(GroupEmitter &emitter,
                                                      planner::JetPlanner &planner,
                                                      const LinearForm &op,
                                                      rng::Distribution distribution,
                                                      int64_t samples,
                                                      const RandomSource &random) {
  int64_t d = emitter.inputDim(), n = emitter.numPoints();
  LinearForm lower;
  SymmetricEntries c;
  for (const auto &[alpha, coefficient] : op) {
    if (alpha.size() < 2) {
      lower[alpha] = coefficient;
      continue;
    }
    double value = planner::toDouble(coefficient);
    int64_t i = alpha[0], j = alpha[1];
    if (i == j) {
      c[{i, i}] += value;
    } else {
      c[{i, j}] += value / 2;
      c[{j, i}] += value / 2;
    }
  }
  Value sum = lower.empty() ? Value() : emitExact(emitter, planner, lower);
  if (c.empty())
    return sum;

  // s * Laplacian over a prefix of the coordinates (Hutchinson): E[z z^T] = I.
  if (std::optional<ScaledIdentityPrefix> laplacian = asScaledIdentityPrefix(c)) {
    FailureOr<Value> z =
        drawTangents(emitter, distribution, {samples, n, laplacian->prefix}, random, roleTangents);
    if (failed(z))
      return failure();
    return emitter.add(sum, emitRandomJets(emitter, emitter.padToInput(*z), 2,
                                           laplacian->scale / double(samples)));
  }

  // In general C = M+ M+^T - M- M-^T from the eigendecomposition of C on the
  // coordinates it involves.
  std::vector<int64_t> support;
  for (const auto &[ij, value] : c)
    support.push_back(ij.first);
  support.erase(std::unique(support.begin(), support.end()), support.end());
  int64_t m = support.size();
  if (m > kMaxMixedCoordinates)
    return emitError(emitter.location())
           << "dense random tangents for this second-order operator mix " << m
           << " coordinates through the eigendecomposition of its coefficient matrix; at most "
           << kMaxMixedCoordinates
           << " (the cost is cubic): use #stde.sparse or #stde.exact, or write the second-order "
              "part as a multiple of the Laplacian (which needs no mixing)";
  if (d * m > kMaxMixingEntries)
    return emitError(emitter.location())
           << "dense random tangents for this second-order operator mix " << m
           << " coordinates into " << d << " through a " << d << " x " << m
           << " constant, more than " << kMaxMixingEntries
           << " entries: use #stde.sparse or #stde.exact";
  std::vector<double> matrix(size_t(m * m), 0.0);
  std::map<int64_t, int64_t> position;
  for (int64_t k = 0; k < m; ++k)
    position[support[k]] = k;
  for (const auto &[ij, value] : c)
    matrix[size_t(position[ij.first] * m + position[ij.second])] = value;
  std::vector<double> values;
  std::vector<std::vector<double>> vectors;
  symmetricEigen(matrix, m, values, vectors);
  double largest = 0;
  for (double v : values)
    largest = std::max(largest, std::abs(v));
  uint32_t role = roleTangents;
  for (double sign : {1.0, -1.0}) {
    std::vector<std::vector<double>> columns;
    for (int64_t k = 0; k < m; ++k)
      if (sign * values[k] > 1e-12 * largest) {
        std::vector<double> column(size_t(d), 0.0);
        for (int64_t q = 0; q < m; ++q)
          column[size_t(support[q])] = vectors[k][q] * std::sqrt(sign * values[k]);
        columns.push_back(std::move(column));
      }
    if (columns.empty())
      continue;
    FailureOr<Value> z =
        drawTangents(emitter, distribution, {samples, n, int64_t(columns.size())}, random, role++);
    if (failed(z))
      return failure();
    sum = emitter.add(sum, emitRandomJets(emitter, mixedTangents(emitter, columns, *z), 2,
                                          sign / double(samples)));
  }
  return sum;
}

FailureOr<Value> stde::lowering::emitDenseBiharmonic(GroupEmitter &emitter,
                                                     planner::JetPlanner &planner,
                                                     int64_t spatial,
                                                     rng::Distribution distribution,
                                                     int64_t samples,
                                                     const RandomSource &random) {
  FailureOr<Value> z = drawTangents(emitter, distribution, {samples, emitter.numPoints(), spatial},
                            random, roleTangents);
  if (failed(z))
    return failure();
  Value sum =
      emitRandomJets(emitter, emitter.padToInput(*z), 4, 1.0 / (3.0 * double(samples)));
  if (distribution != rng::Distribution::rademacher)
    return sum;
  // E_rad[d4u(v)] = 3 Lap^2 u - 2 sum_i u_iiii: add the diagonal back.
  LinearForm diagonal;
  for (int64_t i = 0; i < spatial; ++i)
    diagonal[{i, i, i, i}] = Rational(2, 3);
  return emitter.add(sum, emitSparse(emitter, planner, diagonal, std::min(samples, spatial),
                                     random, roleCorrection));
}

Value stde::lowering::emitDirectional(GroupEmitter &emitter, Value direction) {
  OpBuilder &b = emitter.builder();
  Location loc = emitter.location();
  Type element = emitter.elementType();
  auto type = cast<RankedTensorType>(direction.getType());
  int64_t n = emitter.numPoints(), spatial = type.getShape().back();
  auto perPoint = RankedTensorType::get({1, n, spatial}, element);
  Value tangent;
  if (type.getRank() == 1) {
    Value init = tensor::EmptyOp::create(b, loc, perPoint.getShape(), element);
    tangent = linalg::BroadcastOp::create(b, loc, direction, init, ArrayRef<int64_t>{0, 1})
                  .getResult()[0];
  } else {
    tangent = tensor::ExpandShapeOp::create(b, loc, perPoint, direction,
                                            ArrayRef<ReassociationIndices>{{0, 1}, {2}});
  }
  JetGroup group;
  group.slots.push_back({CoefficientKind::dense, emitter.padToInput(tangent)});
  group.reads.push_back({1, emitter.splat(RankedTensorType::get({1}, element), 1.0)});
  return emitter.emit(group);
}
