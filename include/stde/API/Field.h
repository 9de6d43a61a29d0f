//===- Field.h - neural fields built from C++ ------------------*- C++ -*-===//
//
// A Field is a per-point function u(theta, x): R^D -> R made of dense layers
// (weights in a flat parameter buffer theta), activations and arithmetic on
// the point, for instance (1 - |x|^2) * MLP(x). FieldBuilder records the
// expression; the compiler turns it into a stde.network with the MLIR
// builders (no IR text is pasted together), one op per recorded node in
// the order they were recorded (constants too, at the place they were
// recorded).
//
//   stde::FieldBuilder fb(/*inputDim=*/8);
//   stde::Expr x = fb.input();
//   stde::Expr h = fb.activation(fb.dense(x, 32), stde::ActivationKind::tanh);
//   stde::Expr u = fb.mul(fb.sub(fb.constant(1), fb.sqnorm(x)), fb.sum(fb.dense(h, 1)));
//   stde::Expected<stde::Field> field = fb.build(u);
//
//===----------------------------------------------------------------------===//
#ifndef STDE_API_FIELD_H
#define STDE_API_FIELD_H

#include "stde/API/Status.h"

#include <cstdint>
#include <string>
#include <vector>

namespace stde {

enum class DType { f32, f64 };
enum class ActivationKind { identity, tanh, sin, cos, exp, sigmoid, softplus };

/// The activation's name as the dialect spells it ("tanh", ...).
const char *activationName(ActivationKind kind);
/// The activation called `name`; an error lists the names.
Expected<ActivationKind> activationNamed(const std::string &name);

/// A value inside a FieldBuilder: a scalar or a vector per point.
class Expr {
public:
  Expr() = default;
  int id() const { return id_; }

private:
  friend class FieldBuilder;
  explicit Expr(int id) : id_(id) {}
  int id_ = -1;
};

/// One recorded operation. Public so the compiler (and curious users) can
/// read a field; build fields with FieldBuilder.
struct FieldNode {
  enum class Kind {
    input, constant, dense, activation, add, sub, mul, div, neg, sqnorm, sum,
    exp, log, sin, cos, tanh, sqrt, powi, slice, gaussians, foldBlocks, atan, max
  };
  Kind kind;
  std::vector<int> operands;
  int64_t size = 0;          // entries per point: 0 for a scalar
  double value = 0;          // constant (a scalar that takes its user's shape)
  std::vector<double> values; // constant vector (size entries)
  int64_t offset = 0;        // dense: parameter offset; slice: first entry
  int64_t exponent = 0;      // powi
  ActivationKind activation = ActivationKind::identity;
  uint64_t seed = 0;         // gaussians: entry i is runtime::gaussianAt(seed,
  uint32_t stream = 0;       //   stream, 0, i), drawn by the compiled code
};

class Field {
public:
  int64_t inputDim() const { return inputDim_; }
  /// Length of the flat parameter buffer (0 for a fixed field).
  int64_t numParams() const { return numParams_; }
  DType dtype() const { return dtype_; }
  const std::vector<FieldNode> &nodes() const { return nodes_; }
  int output() const { return output_; }
  /// A canonical text of the whole expression: equal fields, equal text.
  std::string fingerprint() const;

  /// (1 - |x|^2)^ansatz * MLP(x): hidden layers of the given widths with one
  /// activation, a scalar output layer; with `ballAnsatz` the factor makes u
  /// vanish on the unit sphere. `shareBlock` > 0: the first layer shares its
  /// weights across input blocks of that many coordinates (it reads
  /// foldBlocks(x, shareBlock)).
  static Expected<Field> mlp(int64_t inputDim, const std::vector<int64_t> &hidden,
                             ActivationKind activation, bool ballAnsatz = false,
                             DType dtype = DType::f64, int64_t shareBlock = 0);

private:
  friend class FieldBuilder;
  int64_t inputDim_ = 0, numParams_ = 0;
  DType dtype_ = DType::f64;
  std::vector<FieldNode> nodes_;
  int output_ = -1;
};

class FieldBuilder {
public:
  explicit FieldBuilder(int64_t inputDim, DType dtype = DType::f64);

  Expr input();
  /// A scalar constant; next to a vector it is that vector's splat.
  Expr constant(double value);
  /// A constant vector with these entries.
  Expr constants(const std::vector<double> &values);
  /// A constant vector of `size` N(0, 1) draws: entry i is
  /// runtime::gaussianAt(seed, stream, 0, i), drawn in double and rounded
  /// to the field's type. The module holds the seed, not the entries, so it
  /// stays small whatever `size` is.
  Expr gaussians(int64_t size, uint64_t seed, uint32_t stream);
  /// W x + b with W (out x in) and b taken from the next parameters.
  Expr dense(Expr in, int64_t outFeatures);
  Expr activation(Expr in, ActivationKind kind);
  Expr add(Expr a, Expr b);
  Expr sub(Expr a, Expr b);
  Expr mul(Expr a, Expr b);
  Expr div(Expr a, Expr b);
  Expr neg(Expr a);
  Expr sqnorm(Expr vector);
  Expr sum(Expr vector);
  /// The largest entry of a vector. Its derivatives are those of that entry
  /// (a.e.: ties, where max has a kink, go to the first largest entry).
  Expr max(Expr vector);
  Expr exp(Expr a);
  Expr log(Expr a);
  Expr sin(Expr a);
  Expr cos(Expr a);
  Expr tanh(Expr a);
  Expr sqrt(Expr a);
  Expr atan(Expr a);
  Expr powi(Expr a, int64_t exponent);
  /// Entries [offset, offset + size) of a vector.
  Expr slice(Expr vector, int64_t offset, int64_t size);
  /// The `block` entries y_j = sum_k x_{k block + j} (block must divide the
  /// size): a dense layer reading them shares one weight block across every
  /// block of `block` input coordinates (first-layer weight sharing).
  Expr foldBlocks(Expr vector, int64_t block);
  /// Entry i of a vector, as a scalar.
  Expr component(Expr vector, int64_t index);

  /// The field with value `output` (a scalar), or the first misuse recorded.
  Expected<Field> build(Expr output) const;

private:
  Expr record(FieldNode node);
  bool check(bool condition, const std::string &message);
  const FieldNode *node(Expr e, const char *what);
  Expr unary(FieldNode::Kind kind, Expr a, const char *what);
  Expr binary(FieldNode::Kind kind, Expr a, Expr b, const char *what);

  Field field_;
  std::string error_;
};

} // namespace stde

#endif // STDE_API_FIELD_H
