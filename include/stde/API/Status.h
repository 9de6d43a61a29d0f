//===- Status.h - errors as values -----------------------------*- C++ -*-===//
//
// The API never throws and never aborts on bad input: every call that can
// fail returns a Status or an Expected<T> carrying a message that says what to
// change.
//
//===----------------------------------------------------------------------===//
#ifndef STDE_API_STATUS_H
#define STDE_API_STATUS_H

#include <optional>
#include <string>
#include <utility>

namespace stde {

class Status {
public:
  static Status success() { return Status(); }
  static Status error(std::string message) { return Status(std::move(message)); }

  bool ok() const { return !message_; }
  explicit operator bool() const { return ok(); }
  /// The error message (empty on success).
  const std::string &message() const {
    static const std::string none;
    return message_ ? *message_ : none;
  }

private:
  Status() = default;
  explicit Status(std::string message) : message_(std::move(message)) {}
  std::optional<std::string> message_;
};

template <typename T> class Expected {
public:
  Expected(T value) : value_(std::move(value)) {}
  /// An error; `status` must not be success.
  Expected(Status status) : error_(status.ok() ? "internal: success used as an error"
                                               : status.message()) {}

  bool ok() const { return value_.has_value(); }
  explicit operator bool() const { return ok(); }
  const std::string &error() const { return error_; }

  T &operator*() { return *value_; }
  const T &operator*() const { return *value_; }
  T *operator->() { return &*value_; }
  const T *operator->() const { return &*value_; }

private:
  std::optional<T> value_;
  std::string error_;
};

} // namespace stde

#endif // STDE_API_STATUS_H
