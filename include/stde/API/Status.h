//===- Status.h - errors as values -----------------------------*- C++ -*-===//
//
// The API never throws and never aborts on bad input: every call that can
// fail returns a Status or an Expected<T> carrying a message that says what to
// change. Both are [[nodiscard]]: a result dropped on the floor is a compiler
// warning. Dereferencing an Expected that holds an error is a bug in the
// caller; it aborts with the error's message (never undefined behaviour).
//
//===----------------------------------------------------------------------===//
#ifndef STDE_API_STATUS_H
#define STDE_API_STATUS_H

#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <utility>

namespace stde {

class [[nodiscard]] Status {
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

template <typename T> class [[nodiscard]] Expected {
public:
  Expected(T value) : value_(std::move(value)) {}
  /// An error; `status` must not be success.
  Expected(Status status) : error_(status.ok() ? "internal: success used as an error"
                                               : status.message()) {}

  bool ok() const { return value_.has_value(); }
  explicit operator bool() const { return ok(); }
  const std::string &error() const { return error_; }

  T &operator*() { return checked(); }
  const T &operator*() const { return const_cast<Expected *>(this)->checked(); }
  T *operator->() { return &checked(); }
  const T *operator->() const { return &const_cast<Expected *>(this)->checked(); }

private:
  T &checked() {
    if (!value_) {
      std::fprintf(stderr, "stde: the value of an Expected that holds an error was used: %s\n",
                   error_.c_str());
      std::abort();
    }
    return *value_;
  }

  std::optional<T> value_;
  std::string error_;
};

} // namespace stde

#endif // STDE_API_STATUS_H
