//===- LossModule.cpp - a problem's loss on the caller's points, as a module ===//
//
// The problem's @loss(%theta, %xs[, %xb]) is cloned twice, after its
// operators got explicit estimators (stde-resolve-estimators):
//   @stde_points_loss_fn(%theta, %xs, %q[, %xb, %qb], %seed, %call) -> T
//       the loss with point weights (stde.loss point_weights): the caller's
//       n points weigh 1/n, the padding 0;
//   @stde_points_operators_fn(%theta, %xs[, %xb], %seed, %call) -> tensor<K>
//       every operator's values, flattened one after another.
// stde-lower-operators numbers the random streams of each function's
// operators in order, so both draw the same numbers for the same
// (seed, call); stde-param-grad adds the loss's gradient. The entries
// (EntryPoints.h: stde_points_loss, stde_points_gradient,
// stde_points_operators) call them.
//
//===----------------------------------------------------------------------===//
#include "IRBuild.h"
#include "LossModule.h"

#include "dialects/stde/StdeOps.h"
#include "stde/Conversion/Passes.h"
#include "stde/Transforms/Passes.h"

#include "llvm/ADT/TypeSwitch.h"
#include "mlir/Analysis/SliceAnalysis.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;
using namespace stde;

namespace {

constexpr const char *kPointsLoss = "stde_points_loss_fn";
constexpr const char *kPointsOperators = "stde_points_operators_fn";

bool isOperator(Operation *op) { return isa<OperatorOpInterface>(op); }

/// The batch of points an operator is evaluated on.
Value pointsOf(Operation *op) {
  auto typed = dyn_cast<OperatorOpInterface>(op);
  return typed ? typed.getPoints() : Value();
}

/// Appends the seed and call arguments stde-lower-operators draws from.
void addRandomArguments(func::FuncOp func) {
  Builder b(func.getContext());
  Type i64 = b.getI64Type();
  for (const char *role : {"seed", "step"}) {
    unsigned n = func.getNumArguments();
    auto attrs = b.getDictionaryAttr(b.getNamedAttr("stde.random", b.getStringAttr(role)));
    (void)func.insertArgument(n, i64, attrs, func.getLoc());
  }
}

/// The points argument (xs or xb) that `value` depends on, or null when it
/// depends on neither or on both.
Value pointsOf(Value value, Value xs, Value xb) {
  SetVector<Operation *> slice;
  BackwardSliceOptions options;
  options.inclusive = true;
  bool usesXs = value == xs, usesXb = xb && value == xb;
  if (Operation *def = value.getDefiningOp())
    (void)getBackwardSlice(def, &slice, options);
  for (Operation *op : slice)
    for (Value operand : op->getOperands()) {
      usesXs |= operand == xs;
      usesXb |= xb && operand == xb;
    }
  if (usesXs == usesXb)
    return nullptr;
  return usesXs ? xs : xb;
}

/// The loss with point weights q (and qb): arguments (theta, xs, q[, xb, qb],
/// seed, call).
LogicalResult buildPointsLoss(ModuleOp module, func::FuncOp loss, const TrainingModuleInfo &info) {
  auto func = cast<func::FuncOp>(loss->clone());
  func.setName(kPointsLoss);
  module.push_back(func);
  Location loc = func.getLoc();
  Type element = func.getFunctionType().getResult(0);
  auto weights = [&](int64_t n) { return RankedTensorType::get({n}, element); };
  (void)func.insertArgument(2, weights(info.points), DictionaryAttr(), loc);
  if (info.boundaryPoints > 0)
    (void)func.insertArgument(4, weights(info.boundaryPoints), DictionaryAttr(), loc);
  addRandomArguments(func);
  Value xs = func.getArgument(1), q = func.getArgument(2);
  Value xb = info.boundaryPoints > 0 ? func.getArgument(3) : Value();
  Value qb = info.boundaryPoints > 0 ? func.getArgument(4) : Value();

  auto losses = llvm::to_vector(func.getOps<LossOp>());
  if (losses.size() != 1)
    return loss.emitError("a loss program needs @loss to end in exactly one stde.loss; it has ")
           << losses.size();
  LossOp op = losses.front();
  if (!op.getPointWeights().empty())
    return op.emitOpError("has point weights already: a loss program weighs the points itself");
  SmallVector<Value> pointWeights;
  for (auto [i, residual] : llvm::enumerate(op.getResiduals())) {
    Value points = pointsOf(residual, xs, xb);
    int64_t length = cast<RankedTensorType>(residual.getType()).getDimSize(0);
    if (!points || (points == xs && length != info.points) ||
        (points == xb && length != info.boundaryPoints))
      return op.emitOpError("residual ")
             << i << " must be one value per point of either the residual points or the "
                     "boundary points (it is what the loss program weighs by point)";
    pointWeights.push_back(points == xs ? q : qb);
  }
  op.getPointWeightsMutable().assign(pointWeights);
  return success();
}

/// Every operator's values at the points: arguments (theta, xs[, xb], seed,
/// call), one flat vector out; `operators` says where each one's values are.
LogicalResult buildPointsOperators(OpBuilder &b, ModuleOp module, func::FuncOp loss,
                                   const TrainingModuleInfo &info, TrainingModule &result) {
  auto func = cast<func::FuncOp>(loss->clone());
  func.setName(kPointsOperators);
  module.push_back(func);
  addRandomArguments(func);
  Location loc = func.getLoc();
  Value xs = func.getArgument(1), xb = info.boundaryPoints > 0 ? func.getArgument(2) : Value();
  SmallVector<Operation *> operators;
  func.walk([&](Operation *op) {
    if (isOperator(op))
      operators.push_back(op);
  });
  if (operators.empty())
    return loss.emitError("@loss has no operator (stde.apply, stde.laplacian, ...) to evaluate");
  int64_t total = 0;
  SmallVector<std::pair<Value, int64_t>> placed;
  for (Operation *op : operators) {
    Value points = pointsOf(op);
    if (points != xs && (!xb || points != xb))
      return op->emitOpError("a loss program evaluates operators on @loss's point arguments; "
                             "this one's points are computed");
    auto type = cast<RankedTensorType>(op->getResult(0).getType());
    int64_t perPoint = type.getRank() == 2 ? type.getDimSize(1) : 1;
    OperatorInfo described;
    std::string name;
    llvm::raw_string_ostream os(name);
    os << op->getName() << " " << op->getAttrOfType<FlatSymbolRefAttr>("network");
    if (Attribute estimator = op->getAttr("estimator"))
      os << " " << estimator;
    described.name = name;
    described.boundary = points != xs;
    described.perPoint = perPoint;
    result.operators.push_back(described);
    result.operatorOffsets.push_back(total);
    placed.push_back({op->getResult(0), total});
    total += type.getNumElements();
  }
  result.info.operatorValues = total;

  Operation *terminator = func.getBody().front().getTerminator();
  b.setInsertionPoint(terminator);
  Type element = func.getFunctionType().getResult(0);
  auto flat = RankedTensorType::get({total}, element);
  Value values = tensor::EmptyOp::create(b, loc, flat.getShape(), element);
  for (auto [value, offset] : placed) {
    auto type = cast<RankedTensorType>(value.getType());
    Value vector = value;
    if (type.getRank() == 2)
      vector = tensor::CollapseShapeOp::create(
          b, loc, RankedTensorType::get({type.getNumElements()}, element), value,
          ArrayRef<ReassociationIndices>{{0, 1}});
    values = tensor::InsertSliceOp::create(b, loc, vector, values, ValueRange{}, ValueRange{},
                                           ValueRange{}, b.getDenseI64ArrayAttr({offset}),
                                           b.getDenseI64ArrayAttr({type.getNumElements()}),
                                           b.getDenseI64ArrayAttr({1}));
  }
  func::ReturnOp::create(b, loc, values);
  terminator->erase();
  func.setFunctionType(FunctionType::get(func.getContext(), func.getArgumentTypes(), {flat}));
  for (LossOp op : llvm::to_vector(func.getOps<LossOp>()))
    if (op->use_empty())
      op.erase();
  return success();
}

/// The entries: the loss, its gradient, the operators' values.
void buildPointsEntries(OpBuilder &b, ModuleOp module, const TrainingModuleInfo &info,
                        Type element, std::vector<EntrySignature> &entries) {
  bool boundary = info.boundaryPoints > 0;
  auto signature = [&](const EntrySignature &s) {
    return boundary ? s : entry::withoutBoundary(s);
  };
  EntrySizes sizes = info.entrySizes();
  Location loc = module.getLoc();
  auto lossOperands = [&](EntryFunction &f) {
    SmallVector<Value> operands{f.load("params"), f.load("points"), f.load("weights")};
    if (boundary) {
      operands.push_back(f.load("boundary"));
      operands.push_back(f.load("boundaryWeights"));
    }
    operands.push_back(f.arg("seed"));
    operands.push_back(f.arg("call"));
    return operands;
  };
  auto lookup = [&](StringRef name) { return module.lookupSymbol<func::FuncOp>(name); };
  entries.push_back(signature(entry::pointsLoss));
  {
    EntryFunction f(b, module, entries.back(), sizes, element);
    f.storeScalars("loss", ir::call(b, loc, lookup(kPointsLoss), lossOperands(f)).getResult(0));
    f.finish();
  }
  entries.push_back(signature(entry::pointsGradient));
  {
    EntryFunction f(b, module, entries.back(), sizes, element);
    auto result = ir::call(b, loc, lookup(std::string(kPointsLoss) + "_grad"), lossOperands(f));
    f.store("grad", result.getResult(1));
    f.storeScalars("loss", result.getResult(0));
    f.finish();
  }
  entries.push_back(signature(entry::pointsOperators));
  {
    EntryFunction f(b, module, entries.back(), sizes, element);
    SmallVector<Value> operands{f.load("params"), f.load("points")};
    if (boundary)
      operands.push_back(f.load("boundary"));
    operands.push_back(f.arg("seed"));
    operands.push_back(f.arg("call"));
    f.store("values", ir::call(b, loc, lookup(kPointsOperators), operands).getResult(0));
    f.finish();
  }
}

LogicalResult runPasses(ModuleOp module, llvm::function_ref<void(OpPassManager &)> add) {
  PassManager pm(module.getContext());
  add(pm);
  return pm.run(module);
}

} // namespace

TrainingSpec stde::trainingSpecOf(const LossSpec &spec) {
  TrainingSpec training;
  training.defaultEstimator = spec.defaultEstimator;
  training.samples = spec.samples;
  training.rewrites = spec.rewrites;
  training.target = spec.target;
  training.gpuChip = spec.gpuChip;
  training.cpuThreads = 1; // a caller's own loop calls often: no thread team to wake
  return training;
}

Expected<TrainingModule> stde::buildLossModule(MLIRContext &context, const std::string &text,
                                               const LossSpec &spec, Stage stage) {
  DiagnosticCollector diagnostics(context);
  auto fail = [&](const std::string &what) { return diagnostics.error(what); };
  TrainingSpec training = trainingSpecOf(spec);
  if (spec.samples < 0)
    return Status::error("samples must be >= 0 (0: keep the problem's)");

  TrainingModule result;
  result.module = parseSourceString<ModuleOp>(text, ParserConfig(&context), "problem");
  if (!result.module)
    return fail("the problem does not parse");
  ModuleOp module = *result.module;
  FailureOr<TrainingModuleInfo> info = readProblem(module, training);
  if (failed(info))
    return fail("the problem module does not follow the contract (stde/API/Problems.h)");
  result.info = *info;

  // Operators carry their estimators before @loss is cloned (the operator
  // values have no stde.loss to inherit one from).
  if (failed(runPasses(module, [&](OpPassManager &pm) { addResolveEstimators(pm, training); })))
    return fail("resolving the estimators failed");
  auto loss = module.lookupSymbol<func::FuncOp>("loss");
  OpBuilder b(&context);
  if (failed(buildPointsLoss(module, loss, result.info)) ||
      failed(buildPointsOperators(b, module, loss, result.info, result)))
    return fail("the problem's loss cannot be evaluated on given points");
  loss.erase();
  if (failed(verify(module)))
    return fail("internal: the loss functions do not verify");
  if (stage == Stage::problem)
    return std::move(result);

  if (failed(runPasses(module, [&](OpPassManager &pm) {
        addLossLowering(pm, training, /*resolve=*/false, kPointsLoss);
      })))
    return fail("lowering the loss and its gradient failed");
  for (auto func : module.getOps<func::FuncOp>())
    func.setPrivate();
  Type element = result.info.dtype == DType::f32 ? Type(b.getF32Type()) : Type(b.getF64Type());
  buildPointsEntries(b, module, result.info, element, result.entries);
  if (failed(verify(module)))
    return fail("internal: the entry points do not verify");
  if (failed(runPasses(module, [](OpPassManager &pm) {
        pm.addPass(createInlinerPass());
        pm.addPass(createSymbolDCEPass());
      })))
    return fail("internal: composing the entry points failed");
  return lowerEntryModule(result, training, stage, /*leanMemory=*/false);
}
