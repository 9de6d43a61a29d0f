//===- EntryPoints.h - the one description of every compiled entry point -*- C++ -*-===//
//
// Every function the library JIT-compiles and calls from the host is
// described once, here: its symbol and its arguments in order, each a buffer
// of the program's element type (with its extent and whether the call reads
// or writes it) or an i64. From a signature
//   - the IR side (EntryFunction) creates the func.func with memref
//     arguments and llvm.emit_c_interface, and loads and stores its buffers
//     by argument name;
//   - the host side (EntryCall, DeviceCalls.h) binds buffers and integers by
//     name, stages them by access, and packs the C interface's arguments in
//     the signature's order;
//   - checkCompiledEntries compares the lowered module with the signatures
//     before anything runs, so a function that drifted from its signature is
//     an error at compile time of the program, not a corrupted call.
// Adding or reordering an argument changes the signature alone.
//
//===----------------------------------------------------------------------===//
#ifndef STDE_LIB_API_ENTRYPOINTS_H
#define STDE_LIB_API_ENTRYPOINTS_H

#include "stde/API/Status.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"

#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <vector>

namespace mlir::func {
class FuncOp;
} // namespace mlir::func

namespace stde {

/// The size of a buffer argument, in terms of the program's sizes.
enum class Extent {
  scalar,          ///< one value (a loss)
  errorSums,       ///< 3: sum (u - u*)^2, sum u*^2, sum u over a test chunk
  params,          ///< P, the parameter vector (and Adam's moments, a gradient)
  state,           ///< the zeroth-order state: cores and their momenta
  interior,        ///< N x D residual points
  boundary,        ///< M x D boundary points
  interiorWeights, ///< N: each residual point's weight in the loss
  boundaryWeights, ///< M: each boundary point's weight
  pairLosses,      ///< 2 x pairs: the zeroth-order +/- losses
  directions,      ///< pairs x P: the zeroth-order perturbations
  operatorValues,  ///< every operator's values at the points, one after another
};

/// What a call does with a buffer: the host copies it to a device before the
/// call only if it is read, and back after it only if it is written.
enum class Access { read, write, readWrite };

struct EntryArgument {
  llvm::StringLiteral name;
  bool isBuffer;    ///< else an i64 passed by value
  Extent extent;    ///< buffers only
  Access access;    ///< buffers only
};

struct EntrySignature {
  llvm::StringLiteral symbol;
  std::vector<EntryArgument> arguments;

  /// The position of argument `name`, or -1.
  int indexOf(llvm::StringRef name) const;
};

/// The numbers the extents stand for.
struct EntrySizes {
  int64_t numParams = 0, stateSize = 0, points = 0, boundaryPoints = 0, dim = 0, zoPairs = 0,
          operatorValues = 0;
};

/// The shape of a buffer of `extent` (rank 1 or 2).
llvm::SmallVector<int64_t> shapeOf(Extent extent, const EntrySizes &sizes);

/// The signatures. Training programs (TrainingModule.cpp):
namespace entry {
extern const EntrySignature trainStep;      ///< params, m, v, seed, step, loss
extern const EntrySignature gradient;       ///< params, seed, step, loss, grad
extern const EntrySignature loss;           ///< params, seed, step, loss
extern const EntrySignature testError;      ///< params, seed, chunk, sums
extern const EntrySignature samplePoints;   ///< seed, step, points
extern const EntrySignature sampleBoundary; ///< seed, step, points
extern const EntrySignature zoStep;         ///< params, state, seed, step, epoch, loss
extern const EntrySignature zoFold;         ///< params, state, seed, epoch
extern const EntrySignature zoPair;         ///< params, state, seed, step, pstep, epoch, losses
extern const EntrySignature zoDirections;   ///< seed, pstep, epoch, directions
/// Loss programs on the caller's points (LossModule.cpp):
extern const EntrySignature pointsLoss;     ///< params, points, weights[, boundary ...], seed, call, loss
extern const EntrySignature pointsGradient; ///< ... loss, grad
extern const EntrySignature pointsOperators; ///< params, points[, boundary], seed, call, values
/// The boundary arguments of the points entries exist only for problems
/// whose loss takes boundary points: the signature without them.
EntrySignature withoutBoundary(const EntrySignature &signature);
} // namespace entry

/// A func.func created from a signature at the end of a module, its body
/// under construction: buffers come in as memrefs of the element type.
class EntryFunction {
public:
  /// `attributes` are added beside llvm.emit_c_interface (e.g. no_inline).
  EntryFunction(mlir::OpBuilder &builder, mlir::ModuleOp module, const EntrySignature &signature,
                const EntrySizes &sizes, mlir::Type element,
                llvm::ArrayRef<mlir::NamedAttribute> attributes = {});

  mlir::OpBuilder &builder() { return b; }
  mlir::Location loc() const { return location; }
  /// The argument `name` (an i64 or a memref).
  mlir::Value arg(llvm::StringRef name);
  /// Buffer `name` as a tensor; `writable`: the function may update it in place.
  mlir::Value load(llvm::StringRef name, bool writable = false);
  /// Stores `tensor` into buffer `name` (its shape, or a scalar into an extent of 1).
  void store(llvm::StringRef name, mlir::Value tensor);
  /// Stores scalars into buffer `name` (as many as its extent holds).
  void storeScalars(llvm::StringRef name, mlir::ValueRange scalars);
  /// Ends the body with func.return.
  mlir::func::FuncOp finish();

private:
  mlir::OpBuilder &b;
  mlir::Location location;
  EntrySignature signature;
  EntrySizes sizes;
  mlir::Type element;
  mlir::Operation *function;
};

/// The memref type of buffer arguments of `extent`.
mlir::MemRefType entryBufferType(Extent extent, const EntrySizes &sizes, mlir::Type element);

/// Checks that the module (at the tensor level: func.func; after lowering:
/// the llvm.func `_mlir_ciface_<symbol>`) has each signature's function with
/// exactly its arguments. An error names the entry and what differs.
Status checkCompiledEntries(mlir::ModuleOp module, llvm::ArrayRef<const EntrySignature *> entries,
                            const EntrySizes &sizes, mlir::Type element);

} // namespace stde

#endif // STDE_LIB_API_ENTRYPOINTS_H
