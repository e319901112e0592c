// Errors as values: Status (a code and a message) and Result<T> (a value or a Status).
#pragma once
#include "core/assert.h"
#include <string>
#include <utility>
#include <variant>

#include "core/error.h"

namespace glassbook {

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(Error code, std::string message) : code_(code), message_(std::move(message)) {}
  static Status ok() { return {}; }

  bool is_ok() const { return code_ == Error::Ok; }
  explicit operator bool() const { return is_ok(); }
  Error code() const { return code_; }
  const std::string& message() const { return message_; }
  std::string to_string() const {
    return is_ok() ? "OK" : std::string(error_name(code_)) + ": " + message_;
  }

 private:
  Error code_ = Error::Ok;
  std::string message_;
};

template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}            // NOLINT: implicit by design
  Result(Status status) : v_(std::move(status)) {      // NOLINT: implicit by design
    GB_ASSERT(!std::get<Status>(v_).is_ok());
  }
  Result(Error code, std::string message) : v_(Status(code, std::move(message))) {}

  bool is_ok() const { return std::holds_alternative<T>(v_); }
  explicit operator bool() const { return is_ok(); }
  const T& value() const& { GB_ASSERT(is_ok()); return std::get<T>(v_); }
  T& value() & { GB_ASSERT(is_ok()); return std::get<T>(v_); }
  T&& value() && { GB_ASSERT(is_ok()); return std::get<T>(std::move(v_)); }
  const T& operator*() const& { return value(); }
  const T* operator->() const { return &value(); }
  Status status() const { return is_ok() ? Status() : std::get<Status>(v_); }
  Error code() const { return is_ok() ? Error::Ok : std::get<Status>(v_).code(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace glassbook
