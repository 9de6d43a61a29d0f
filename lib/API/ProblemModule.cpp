//===- ProblemModule.cpp - the module of a ProblemBuilder ----------------===//
//
// The building half of ProblemBuilder: module attributes, networks and the
// loss function made with the dialects' builders, in the order the user
// recorded them, so a problem built here prints like the same problem
// written as a file.
//
//===----------------------------------------------------------------------===//
#include "ProblemModule.h"
#include "IRBuild.h"
#include "JetModule.h"
#include "TrainingModule.h"

#include "dialects/stde/StdeOps.h"
#include "stde/InitAllStde.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Verifier.h"

#include <sstream>

using namespace mlir;
using Kind = stde::ProblemNode::Kind;

Attribute stde::estimatorAttr(MLIRContext *context, const Estimator &e) {
  switch (e.kind) {
  case Estimator::Kind::exact: return ExactAttr::get(context);
  case Estimator::Kind::sparse: return SparseAttr::get(context, e.samples);
  case Estimator::Kind::dense:
    return DenseEstimatorAttr::get(context,
                                   e.distribution == TangentDistribution::gaussian
                                       ? Distribution::gaussian
                                       : Distribution::rademacher,
                                   e.samples);
  }
  return {};
}

namespace {

/// Nodes that some residual of the loss uses (the others are not emitted).
std::vector<bool> liveNodes(const stde::ProblemBuilder &problem) {
  const auto &nodes = problem.nodes();
  std::vector<bool> live(nodes.size(), false);
  for (int r : problem.residuals())
    live[r] = true;
  for (size_t i = nodes.size(); i-- > 0;)
    if (live[i])
      for (int o : nodes[i].operands)
        live[o] = true;
  return live;
}

void setDomainAttributes(OpBuilder &b, ModuleOp module, const stde::ProblemBuilder &p) {
  module->setAttr("stde.domain", b.getStringAttr(p.domain()));
  if (p.domain() == "brownian") {
    module->setAttr("stde.horizon", b.getF64FloatAttr(p.horizon()));
    if (p.diffusion() != 2.0) // the domain's default (Problems.h)
      module->setAttr("stde.diffusion", b.getF64FloatAttr(p.diffusion()));
  }
  if (p.domain() == "gaussian") {
    module->setAttr("stde.horizon", b.getF64FloatAttr(p.horizon()));
    if (p.scale() != 1.0) // the domain's default (Problems.h)
      module->setAttr("stde.scale", b.getF64FloatAttr(p.scale()));
  }
  if (p.domain() == "box") {
    module->setAttr("stde.lower", b.getDenseF64ArrayAttr(p.lower()));
    module->setAttr("stde.upper", b.getDenseF64ArrayAttr(p.upper()));
  }
  if (p.referenceValue()) {
    SmallVector<NamedAttribute> entries{b.getNamedAttr("value",
                                                       b.getF64FloatAttr(*p.referenceValue()))};
    if (!p.referencePoint().empty())
      entries.push_back(b.getNamedAttr("point", b.getDenseF64ArrayAttr(p.referencePoint())));
    module->setAttr("stde.reference", b.getDictionaryAttr(entries));
  }
}

/// Emits func.func @loss: one op per live column, then stde.loss.
class LossEmitter {
public:
  LossEmitter(OpBuilder &b, Location loc, const stde::ProblemBuilder &p)
      : b(b), loc(loc), p(p), values(p.nodes().size()) {
    element = p.trained().dtype() == stde::DType::f32 ? Type(b.getF32Type())
                                                      : Type(b.getF64Type());
  }

  void emit() {
    int64_t d = p.trained().inputDim();
    SmallVector<Type> args{RankedTensorType::get({p.trained().numParams()}, element),
                           RankedTensorType::get({p.points(), d}, element)};
    if (p.boundary() > 0)
      args.push_back(RankedTensorType::get({p.boundary(), d}, element));
    auto fn = func::FuncOp::create(b, loc, "loss", b.getFunctionType(args, {element}));
    Block *entry = fn.addEntryBlock();
    b.setInsertionPointToStart(entry);
    theta = entry->getArgument(0);
    interior = entry->getArgument(1);
    if (p.boundary() > 0)
      boundary = entry->getArgument(2);

    std::vector<bool> live = liveNodes(p);
    for (size_t i = 0; i < p.nodes().size(); ++i)
      if (live[i])
        values[i] = emitNode(p.nodes()[i]);

    SmallVector<Value> residuals;
    for (int r : p.residuals())
      residuals.push_back(values[r]);
    DenseF64ArrayAttr weights = p.weights().empty() ? nullptr
                                                    : b.getDenseF64ArrayAttr(p.weights());
    Attribute estimator = p.lossEstimator() ? stde::estimatorAttr(b.getContext(),
                                                                  *p.lossEstimator())
                                            : Attribute();
    DenseF64ArrayAttr gradientWeights =
        p.gradientWeights().empty() ? nullptr : b.getDenseF64ArrayAttr(p.gradientWeights());
    IntegerAttr gradientSamples =
        p.gradientSamples() > 0 ? b.getI64IntegerAttr(p.gradientSamples()) : nullptr;
    Value loss = stde::LossOp::create(b, loc, element, residuals, ValueRange{}, weights,
                                      p.unbiased() ? stde::LossForm::unbiased
                                                   : stde::LossForm::biased,
                                      gradientWeights, gradientSamples,
                                      p.gradientTime(), estimator);
    func::ReturnOp::create(b, loc, loss);
  }

private:
  RankedTensorType column(stde::Points at) {
    return RankedTensorType::get({at == stde::Points::interior ? p.points() : p.boundary()},
                                 element);
  }
  Value pointsOf(stde::Points at) { return at == stde::Points::interior ? interior : boundary; }
  Attribute estimatorOf(const stde::ProblemNode &n) {
    return n.estimator ? stde::estimatorAttr(b.getContext(), *n.estimator) : Attribute();
  }

  Value emitNode(const stde::ProblemNode &n) {
    RankedTensorType type = column(n.at);
    Value xs = pointsOf(n.at);
    auto arg = [&](int i) { return values[n.operands[i]]; };
    switch (n.kind) {
    case Kind::apply:
      return stde::ApplyOp::create(b, loc, type, n.network, n.network == "u" ? theta : Value(),
                                   xs);
    case Kind::laplacian:
      return stde::LaplacianOp::create(b, loc, type, "u", theta, xs, estimatorOf(n));
    case Kind::biharmonic:
      return stde::BiharmonicOp::create(b, loc, type, "u", theta, xs, estimatorOf(n));
    case Kind::diff: {
      SmallVector<Attribute> terms;
      for (const stde::DiffTerm &t : n.terms)
        terms.push_back(stde::TermAttr::get(b.getContext(), APFloat(t.coefficient), t.index));
      return stde::DiffOp::create(b, loc, type, "u", theta, xs, b.getArrayAttr(terms),
                                  estimatorOf(n));
    }
    case Kind::directional: {
      auto vType = RankedTensorType::get({int64_t(n.direction.size())}, element);
      Value v = stde::ir::tensorConstant(b, loc, vType, n.direction);
      return stde::GradOp::create(b, loc, type, "u", theta, xs, v);
    }
    case Kind::timeDerivative:
      return stde::TimeDerivativeOp::create(b, loc, type, "u", theta, xs, uint64_t(n.order));
    case Kind::diffusion: {
      const stde::DiffusionCoefficients &c = n.coefficients;
      Value sigma = c.sigmaMatrix.empty()
                        ? affineOfSpatial(xs, c.sigmaScale, c.sigmaOffset)
                        : broadcastMatrix(xs, c.sigmaMatrix);
      Value drift = c.hasDrift() ? affineOfSpatial(xs, c.driftScale, c.driftOffset) : Value();
      return stde::DiffusionOp::create(b, loc, type, "u", theta, xs, sigma, drift,
                                       estimatorOf(n));
    }
    case Kind::gradNorm:
      return stde::GradNormOp::create(b, loc, type, "u", theta, xs,
                                      llvm::APFloat(n.power), estimatorOf(n));
    case Kind::constant: return stde::ir::tensorConstant(b, loc, type, {n.value});
    case Kind::add: return arith::AddFOp::create(b, loc, arg(0), arg(1));
    case Kind::sub: return arith::SubFOp::create(b, loc, arg(0), arg(1));
    case Kind::mul: return arith::MulFOp::create(b, loc, arg(0), arg(1));
    case Kind::div: return arith::DivFOp::create(b, loc, arg(0), arg(1));
    case Kind::neg: return arith::NegFOp::create(b, loc, arg(0));
    case Kind::sin: return math::SinOp::create(b, loc, arg(0));
    case Kind::cos: return math::CosOp::create(b, loc, arg(0));
    case Kind::exp: return math::ExpOp::create(b, loc, arg(0));
    case Kind::log: return math::LogOp::create(b, loc, arg(0));
    case Kind::tanh: return math::TanhOp::create(b, loc, arg(0));
    }
    return {};
  }

  int64_t spatialDim() const {
    return p.trained().inputDim() - (p.isSpaceTime() ? 1 : 0);
  }

  /// a x_i + c at every point (tensor<N x Ds>): the spatial columns of xs
  /// scaled and shifted (a constant when a = 0).
  Value affineOfSpatial(Value xs, double a, double c) {
    int64_t n = cast<RankedTensorType>(xs.getType()).getDimSize(0), ds = spatialDim();
    auto type = RankedTensorType::get({n, ds}, element);
    if (a == 0.0)
      return stde::ir::tensorConstant(b, loc, type, {c});
    Value x = xs;
    if (ds != p.trained().inputDim())
      x = tensor::ExtractSliceOp::create(b, loc, xs, ArrayRef<OpFoldResult>{b.getIndexAttr(0), b.getIndexAttr(0)},
                                         ArrayRef<OpFoldResult>{b.getIndexAttr(n), b.getIndexAttr(ds)},
                                         ArrayRef<OpFoldResult>{b.getIndexAttr(1), b.getIndexAttr(1)});
    Value scaled = arith::MulFOp::create(b, loc, x, stde::ir::tensorConstant(b, loc, type, {a}));
    if (c == 0.0)
      return scaled;
    return arith::AddFOp::create(b, loc, scaled, stde::ir::tensorConstant(b, loc, type, {c}));
  }

  /// The same Ds x Ds matrix at every point (tensor<N x Ds x Ds>).
  Value broadcastMatrix(Value xs, const std::vector<double> &matrix) {
    int64_t n = cast<RankedTensorType>(xs.getType()).getDimSize(0), ds = spatialDim();
    Value m = stde::ir::tensorConstant(b, loc, RankedTensorType::get({ds, ds}, element), matrix);
    Value init = tensor::EmptyOp::create(b, loc, ArrayRef<int64_t>{n, ds, ds}, element);
    return linalg::BroadcastOp::create(b, loc, m, init, ArrayRef<int64_t>{0}).getResult()[0];
  }

  OpBuilder &b;
  Location loc;
  const stde::ProblemBuilder &p;
  Type element;
  Value theta, interior, boundary;
  std::vector<Value> values;
};

} // namespace

OwningOpRef<ModuleOp> stde::buildProblemModule(MLIRContext &context, const ProblemBuilder &p) {
  OpBuilder b(&context);
  Location loc = b.getUnknownLoc();
  OwningOpRef<ModuleOp> module = ModuleOp::create(loc);
  setDomainAttributes(b, *module, p);
  b.setInsertionPointToEnd(module->getBody());
  buildNetwork(b, loc, p.trained(), "u", p.isSpaceTime());
  for (const ProblemBuilder::NamedField &f : p.fields())
    buildNetwork(b, loc, f.field, f.name, p.isSpaceTime());
  LossEmitter(b, loc, p).emit();
  return module;
}

stde::Expected<std::string> stde::printProblemModule(const ProblemBuilder &p) {
  DialectRegistry registry;
  registerAllDialects(registry);
  MLIRContext context(registry, MLIRContext::Threading::DISABLED);
  context.loadAllAvailableDialects();
  DiagnosticCollector diagnostics(context);
  OwningOpRef<ModuleOp> module = buildProblemModule(context, p);
  if (failed(verify(*module)))
    return diagnostics.error("the problem built is not a valid module");
  std::string text;
  llvm::raw_string_ostream os(text);
  std::istringstream description(p.description());
  for (std::string line; std::getline(description, line);)
    os << "// " << line << "\n";
  // Constants of more than 100 values print as hex: 8x faster to print and
  // parse than decimals at 10^6 values, and nobody reads them. (The built-in
  // problems' coefficients are drawn by the compiled code, not stored.)
  module->print(os, OpPrintingFlags().printLargeElementsAttrWithHex(100));
  return text;
}
