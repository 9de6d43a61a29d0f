//===- SplitLongFunctions.cpp - cut functions with many loop nests --------===//
//
// A compiled training step is one function with hundreds of loop nests one
// after the other (a width-64 step: ~260). LLVM's loop passes are quadratic
// in that number: for each loop, ScalarEvolution proves facts by walking the
// chain of dominating blocks, and a loop's preheader leads back through every
// earlier loop to the entry block. IndVarSimplify alone then takes 85% of the
// step's compile time. Cutting the function into parts of a bounded number of
// nests, each its own noinline function, makes that walk short: compile time
// becomes linear in the number of nests, at the price of one call per part.
//
//===----------------------------------------------------------------------===//
#include "stde/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Interfaces/ViewLikeInterface.h"
#include "llvm/ADT/SetVector.h"

namespace stde {
#define GEN_PASS_DEF_SPLITLONGFUNCTIONS
#include "stde/Transforms/Passes.h.inc"
} // namespace stde

using namespace mlir;

namespace {

using Part = SmallVector<Operation *>;

bool isNest(Operation *op) { return op->getNumRegions() != 0; }

/// The op of `block` that contains `op` (or is it).
Operation *topLevelOf(Operation *op, Block &block) { return block.findAncestorOpInBlock(*op); }

/// For each op of `ops`, the position of the last op that uses stack memory
/// allocated at or before it: a part may not end before that position, since
/// a function cannot return its stack memory.
SmallVector<size_t> stackLifetimes(ArrayRef<Operation *> ops, Block &block) {
  llvm::DenseMap<Operation *, size_t> position;
  for (auto [i, op] : llvm::enumerate(ops))
    position[op] = i;
  SmallVector<size_t> lastUse(ops.size());
  for (auto [i, op] : llvm::enumerate(ops))
    lastUse[i] = i;
  for (auto [i, op] : llvm::enumerate(ops)) {
    if (!isa<memref::AllocaOp>(op))
      continue;
    SmallVector<Value> views{op->getResult(0)};
    while (!views.empty()) {
      Value view = views.pop_back_val();
      for (Operation *user : view.getUsers()) {
        Operation *top = topLevelOf(user, block);
        if (top && position.count(top))
          lastUse[i] = std::max(lastUse[i], position[top]);
        if (auto viewOp = dyn_cast<ViewLikeOpInterface>(user);
            viewOp && viewOp.getViewSource() == view)
          llvm::append_range(views, user->getResults());
      }
    }
  }
  // Running maximum: the end of every stack lifetime open at op i.
  for (size_t i = 1; i < lastUse.size(); ++i)
    lastUse[i] = std::max(lastUse[i], lastUse[i - 1]);
  return lastUse;
}

/// Consecutive parts of `ops` with at most `maxNests` nests each (more only
/// where stack memory is live across the cut).
SmallVector<Part> cutIntoParts(ArrayRef<Operation *> ops, Block &block, int64_t maxNests) {
  SmallVector<size_t> stackEnd = stackLifetimes(ops, block);
  SmallVector<Part> parts(1);
  int64_t nests = 0;
  for (auto [i, op] : llvm::enumerate(ops)) {
    bool stackOpen = i > 0 && stackEnd[i - 1] >= i;
    if (isNest(op) && nests >= maxNests && !stackOpen) {
      parts.emplace_back();
      nests = 0;
    }
    parts.back().push_back(op);
    nests += isNest(op);
  }
  return parts;
}

/// What a part needs from the function around it: the values it takes as
/// arguments and the pure ops it recomputes instead (constants, index
/// arithmetic, views: a part then sees whole allocations, which helps LLVM's
/// alias analysis).
struct PartInputs {
  llvm::SetVector<Value> arguments;
  llvm::SetVector<Operation *> clones;
};

bool isRecomputable(Operation *op) { return op->getNumRegions() == 0 && isPure(op); }

void addInput(Value value, PartInputs &inputs) {
  Operation *def = value.getDefiningOp();
  if (!def || !isRecomputable(def)) {
    inputs.arguments.insert(value);
    return;
  }
  if (inputs.clones.contains(def))
    return;
  for (Value operand : def->getOperands())
    addInput(operand, inputs);
  inputs.clones.insert(def);  // after its operands: clones are in def-use order
}

PartInputs inputsOf(const Part &part, Block &block) {
  llvm::SmallPtrSet<Operation *, 32> inPart(part.begin(), part.end());
  PartInputs inputs;
  for (Operation *top : part)
    top->walk([&](Operation *op) {
      for (Value operand : op->getOperands()) {
        if (operand.getParentBlock() != &block)
          continue;  // defined inside a nest of the part
        Operation *def = operand.getDefiningOp();
        if (!def || !inPart.contains(def))
          addInput(operand, inputs);
      }
    });
  return inputs;
}

/// Results of the part's ops that ops after it use.
SmallVector<Value> outputsOf(const Part &part, Block &block) {
  llvm::SmallPtrSet<Operation *, 32> inPart(part.begin(), part.end());
  SmallVector<Value> outputs;
  for (Operation *op : part)
    for (Value result : op->getResults())
      if (llvm::any_of(result.getUsers(), [&](Operation *user) {
            return !inPart.contains(topLevelOf(user, block));
          }))
        outputs.push_back(result);
  return outputs;
}

std::string freshName(SymbolTable &symbols, StringRef base, int64_t index) {
  for (int64_t k = index;; ++k) {
    std::string name = (base + ".part" + Twine(k)).str();
    if (!symbols.lookup(name))
      return name;
  }
}

/// Moves `part` into a new function and calls it in its place.
void outline(const Part &part, func::FuncOp parent, StringRef name, SymbolTable &symbols) {
  Block &block = parent.getBody().front();
  PartInputs inputs = inputsOf(part, block);
  SmallVector<Value> outputs = outputsOf(part, block);
  SmallVector<Value> arguments(inputs.arguments.begin(), inputs.arguments.end());

  OpBuilder builder(parent);
  builder.setInsertionPointAfter(parent);
  auto type = builder.getFunctionType(ValueRange(arguments).getTypes(),
                                      ValueRange(outputs).getTypes());
  auto func = func::FuncOp::create(builder, part.front()->getLoc(), name, type);
  func.setPrivate();
  // LLVM would inline a function called once, and undo the split. Internal
  // linkage: no C-interface wrapper for the JIT, no exported symbol.
  func->setAttr("passthrough", builder.getArrayAttr({builder.getStringAttr("noinline")}));
  func->setAttr("llvm.linkage",
                LLVM::LinkageAttr::get(builder.getContext(), LLVM::Linkage::Internal));
  symbols.insert(func);

  Block *body = func.addEntryBlock();
  IRMapping mapping;
  mapping.map(arguments, body->getArguments());
  builder.setInsertionPointToStart(body);
  for (Operation *op : inputs.clones)
    builder.clone(*op, mapping);
  for (Operation *op : part)
    builder.clone(*op, mapping);
  SmallVector<Value> returned;
  for (Value output : outputs)
    returned.push_back(mapping.lookup(output));
  func::ReturnOp::create(builder, func.getLoc(), returned);
  // Pure ops of the part that only later parts used: they recompute them.
  SmallVector<Operation *> cloned;
  for (Operation &op : body->without_terminator())
    cloned.push_back(&op);
  for (Operation *op : llvm::reverse(cloned))
    if (isOpTriviallyDead(op))
      op->erase();

  builder.setInsertionPoint(part.front());
  auto call = func::CallOp::create(builder, part.front()->getLoc(), func, arguments);
  for (auto [output, result] : llvm::zip_equal(outputs, call.getResults()))
    output.replaceAllUsesWith(result);
  for (Operation *op : llvm::reverse(part))
    op->erase();
}

class SplitLongFunctions : public stde::impl::SplitLongFunctionsBase<SplitLongFunctions> {
public:
  using SplitLongFunctionsBase::SplitLongFunctionsBase;

  void runOnOperation() override {
    if (maxNests < 1) {
      getOperation().emitError("stde-split-long-functions: max-nests must be at least 1, not ")
          << maxNests.getValue();
      return signalPassFailure();
    }
    SymbolTable symbols(getOperation());
    SmallVector<func::FuncOp> funcs(getOperation().getOps<func::FuncOp>());
    for (func::FuncOp func : funcs)
      split(func, symbols);
  }

private:
  void split(func::FuncOp func, SymbolTable &symbols) {
    if (func.isExternal() || !func.getBody().hasOneBlock())
      return;
    Block &block = func.getBody().front();
    SmallVector<Operation *> ops;
    for (Operation &op : block.without_terminator())
      ops.push_back(&op);
    SmallVector<Part> parts = cutIntoParts(ops, block, maxNests);
    if (parts.size() < 2)
      return;
    // Last part first: the calls of later parts are then the uses that decide
    // what an earlier part returns.
    for (int64_t k = parts.size() - 1; k >= 0; --k)
      outline(parts[k], func, freshName(symbols, func.getSymName(), k), symbols);
  }
};

} // namespace
