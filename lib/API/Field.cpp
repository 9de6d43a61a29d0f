//===- Field.cpp - recording a neural field ------------------------------===//
#include "stde/API/Field.h"

#include <sstream>

using namespace stde;
using Kind = FieldNode::Kind;

namespace {
const struct {
  ActivationKind kind;
  const char *name;
} kActivations[] = {{ActivationKind::tanh, "tanh"},         {ActivationKind::sin, "sin"},
                    {ActivationKind::cos, "cos"},           {ActivationKind::exp, "exp"},
                    {ActivationKind::sigmoid, "sigmoid"},   {ActivationKind::softplus, "softplus"},
                    {ActivationKind::identity, "identity"}};
} // namespace

const char *stde::activationName(ActivationKind kind) {
  for (const auto &a : kActivations)
    if (a.kind == kind)
      return a.name;
  return "identity";
}

Expected<ActivationKind> stde::activationNamed(const std::string &name) {
  std::string names;
  for (const auto &a : kActivations) {
    if (name == a.name)
      return a.kind;
    names += names.empty() ? a.name : std::string(", ") + a.name;
  }
  return Status::error("unknown activation '" + name + "'; use " + names);
}

FieldBuilder::FieldBuilder(int64_t inputDim, DType dtype) {
  field_.inputDim_ = inputDim;
  field_.dtype_ = dtype;
  check(inputDim >= 1, "the input dimension must be at least 1, got " + std::to_string(inputDim));
}

bool FieldBuilder::check(bool condition, const std::string &message) {
  if (!condition && error_.empty())
    error_ = message;
  return condition;
}

Expr FieldBuilder::record(FieldNode node) {
  field_.nodes_.push_back(std::move(node));
  return Expr(static_cast<int>(field_.nodes_.size()) - 1);
}

const FieldNode *FieldBuilder::node(Expr e, const char *what) {
  if (!check(e.id() >= 0 && e.id() < static_cast<int>(field_.nodes_.size()),
             std::string(what) + ": operand is not an expression of this builder"))
    return nullptr;
  return &field_.nodes_[e.id()];
}

Expr FieldBuilder::input() {
  FieldNode n{Kind::input, {}};
  n.size = field_.inputDim_;
  return record(n);
}

Expr FieldBuilder::constant(double value) {
  FieldNode n{Kind::constant, {}};
  n.value = value;
  return record(n);
}

Expr FieldBuilder::constants(const std::vector<double> &values) {
  if (!check(!values.empty(), "constants: a constant vector needs at least one entry"))
    return Expr();
  FieldNode n{Kind::constant, {}};
  n.values = values;
  n.size = int64_t(values.size());
  return record(n);
}

Expr FieldBuilder::gaussians(int64_t size, uint64_t seed, uint32_t stream) {
  if (!check(size >= 1, "gaussians: a constant vector needs at least one entry") ||
      !check(size <= (int64_t(1) << 32), "gaussians: at most 2^32 draws (the generator's "
                                         "element counter is 32 bits)"))
    return Expr();
  FieldNode n{Kind::gaussians, {}};
  n.size = size;
  n.seed = seed;
  n.stream = stream;
  return record(n);
}

Expr FieldBuilder::dense(Expr in, int64_t outFeatures) {
  const FieldNode *x = node(in, "dense");
  if (!x || !check(x->size > 0, "dense: the input must be a vector, not a scalar") ||
      !check(outFeatures >= 1, "dense: a layer needs at least one output feature"))
    return Expr();
  FieldNode n{Kind::dense, {in.id()}};
  n.size = outFeatures;
  n.offset = field_.numParams_;
  field_.numParams_ += outFeatures * (x->size + 1);
  return record(n);
}

Expr FieldBuilder::activation(Expr in, ActivationKind kind) {
  const FieldNode *x = node(in, "activation");
  if (!x)
    return Expr();
  FieldNode n{Kind::activation, {in.id()}};
  n.size = x->size;
  n.activation = kind;
  return record(n);
}

Expr FieldBuilder::unary(Kind kind, Expr a, const char *what) {
  const FieldNode *x = node(a, what);
  if (!x)
    return Expr();
  FieldNode n{kind, {a.id()}};
  n.size = x->size;
  return record(n);
}

Expr FieldBuilder::binary(Kind kind, Expr a, Expr b, const char *what) {
  const FieldNode *x = node(a, what), *y = node(b, what);
  if (!x || !y)
    return Expr();
  // A scalar constant adapts to the other operand's shape.
  auto adapts = [](const FieldNode *n) { return n->kind == Kind::constant && n->values.empty(); };
  int64_t size = adapts(x) ? y->size : x->size;
  int64_t other = adapts(y) ? size : y->size;
  if (adapts(x) && adapts(y))
    size = other = 0;
  if (!check(size == other, std::string(what) + ": operands have different sizes (" +
                                std::to_string(x->size) + " and " + std::to_string(y->size) +
                                "; 0 is a scalar)"))
    return Expr();
  FieldNode n{kind, {a.id(), b.id()}};
  n.size = size;
  return record(n);
}

Expr FieldBuilder::add(Expr a, Expr b) { return binary(Kind::add, a, b, "add"); }
Expr FieldBuilder::sub(Expr a, Expr b) { return binary(Kind::sub, a, b, "sub"); }
Expr FieldBuilder::mul(Expr a, Expr b) { return binary(Kind::mul, a, b, "mul"); }
Expr FieldBuilder::div(Expr a, Expr b) { return binary(Kind::div, a, b, "div"); }
Expr FieldBuilder::neg(Expr a) { return unary(Kind::neg, a, "neg"); }
Expr FieldBuilder::exp(Expr a) { return unary(Kind::exp, a, "exp"); }
Expr FieldBuilder::log(Expr a) { return unary(Kind::log, a, "log"); }
Expr FieldBuilder::sin(Expr a) { return unary(Kind::sin, a, "sin"); }
Expr FieldBuilder::cos(Expr a) { return unary(Kind::cos, a, "cos"); }
Expr FieldBuilder::tanh(Expr a) { return unary(Kind::tanh, a, "tanh"); }
Expr FieldBuilder::sqrt(Expr a) { return unary(Kind::sqrt, a, "sqrt"); }
Expr FieldBuilder::atan(Expr a) { return unary(Kind::atan, a, "atan"); }

Expr FieldBuilder::powi(Expr a, int64_t exponent) {
  Expr e = unary(Kind::powi, a, "powi");
  if (e.id() >= 0)
    field_.nodes_[e.id()].exponent = exponent;
  return e;
}

Expr FieldBuilder::sqnorm(Expr vector) {
  const FieldNode *x = node(vector, "sqnorm");
  if (!x || !check(x->size > 0, "sqnorm: the operand must be a vector"))
    return Expr();
  return record(FieldNode{Kind::sqnorm, {vector.id()}});
}

Expr FieldBuilder::sum(Expr vector) {
  const FieldNode *x = node(vector, "sum");
  if (!x || !check(x->size > 0, "sum: the operand must be a vector"))
    return Expr();
  return record(FieldNode{Kind::sum, {vector.id()}});
}

Expr FieldBuilder::max(Expr vector) {
  const FieldNode *x = node(vector, "max");
  if (!x || !check(x->size > 0, "max: the operand must be a vector"))
    return Expr();
  return record(FieldNode{Kind::max, {vector.id()}});
}

Expr FieldBuilder::slice(Expr vector, int64_t offset, int64_t size) {
  const FieldNode *x = node(vector, "slice");
  if (!x || !check(x->size > 0, "slice: the operand must be a vector") ||
      !check(offset >= 0 && size >= 1 && offset + size <= x->size,
             "slice: [" + std::to_string(offset) + ", " + std::to_string(offset + size) +
                 ") is not inside a vector of size " + std::to_string(x->size)))
    return Expr();
  FieldNode n{Kind::slice, {vector.id()}};
  n.offset = offset;
  n.size = size;
  return record(n);
}

Expr FieldBuilder::foldBlocks(Expr vector, int64_t block) {
  const FieldNode *x = node(vector, "foldBlocks");
  if (!x || !check(x->size > 0, "foldBlocks: the operand must be a vector") ||
      !check(block >= 1 && x->size % block == 0,
             "foldBlocks: blocks of " + std::to_string(block) +
                 " entries do not tile a vector of size " + std::to_string(x->size) +
                 ": use a block size that divides it"))
    return Expr();
  FieldNode n{Kind::foldBlocks, {vector.id()}};
  n.size = block;
  return record(n);
}

Expr FieldBuilder::component(Expr vector, int64_t index) {
  return sum(slice(vector, index, 1));
}

Expected<Field> FieldBuilder::build(Expr output) const {
  if (!error_.empty())
    return Status::error(error_);
  if (output.id() < 0 || output.id() >= static_cast<int>(field_.nodes_.size()))
    return Status::error("build: the output is not an expression of this builder");
  if (field_.nodes_[output.id()].size != 0)
    return Status::error("build: the output must be a scalar (reduce a vector with sum, "
                         "or use a dense layer with one output and sum)");
  Field field = field_;
  field.output_ = output.id();
  return field;
}

std::string Field::fingerprint() const {
  std::ostringstream os;
  os.precision(17);
  os << "D" << inputDim_ << (dtype_ == DType::f32 ? "f32" : "f64") << ";";
  for (const FieldNode &n : nodes_) {
    os << static_cast<int>(n.kind) << "(";
    for (int o : n.operands)
      os << o << ",";
    os << ")" << n.size << ":" << n.value << ":";
    for (double v : n.values)
      os << v << ",";
    os << ":" << n.offset << ":" << n.exponent << ":"
       << static_cast<int>(n.activation) << ":" << n.seed << ":" << n.stream << ";";
  }
  os << "out" << output_;
  return os.str();
}

Expected<Field> Field::mlp(int64_t inputDim, const std::vector<int64_t> &hidden,
                           ActivationKind activation, bool ballAnsatz, DType dtype,
                           int64_t shareBlock) {
  FieldBuilder fb(inputDim, dtype);
  Expr x = fb.input();
  Expr h = shareBlock > 0 ? fb.foldBlocks(x, shareBlock) : x;
  for (int64_t width : hidden)
    h = fb.activation(fb.dense(h, width), activation);
  Expr u = fb.sum(fb.dense(h, 1));
  if (ballAnsatz) {
    // Named first: the order of a call's arguments is unspecified, and the
    // ops print in the order they were recorded.
    Expr r2 = fb.sqnorm(x);
    Expr one = fb.constant(1.0);
    u = fb.mul(fb.sub(one, r2), u);
  }
  return fb.build(u);
}
