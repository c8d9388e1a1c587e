#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <variant>

namespace wolfpack {

// The error half of a result: a message written for the person reading the log, naming what
// was wrong ("property 'OnlineDelayMs': DWORD value 5000000000 is out of range").
struct failure {
  std::string message;
};

inline failure fail(std::string message) {
  return failure{std::move(message)};
}

// Expected failures (bad input, missing files, refused connections) are values, not exceptions.
// C++20 has no std::expected, so this is the small subset we need: a value or a message.
// Reading value() of a failed result (or error() of a good one) is a bug and throws
// std::logic_error so that the test or crash report names it.
template <typename T>
class result {
 public:
  result(T value) : state_(std::in_place_index<0>, std::move(value)) {}
  result(failure error) : state_(std::in_place_index<1>, std::move(error)) {}

  bool ok() const noexcept { return state_.index() == 0; }
  explicit operator bool() const noexcept { return ok(); }

  T& value() & {
    check_value();
    return std::get<0>(state_);
  }
  const T& value() const& {
    check_value();
    return std::get<0>(state_);
  }
  T&& value() && {
    check_value();
    return std::get<0>(std::move(state_));
  }

  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  const std::string& error() const {
    if (ok()) {
      throw std::logic_error("result::error() called on a successful result");
    }
    return std::get<1>(state_).message;
  }

 private:
  void check_value() const {
    if (!ok()) {
      throw std::logic_error("result::value() called on a failed result: " +
                             std::get<1>(state_).message);
    }
  }

  std::variant<T, failure> state_;
};

// Success carries nothing; failure carries the message.
template <>
class result<void> {
 public:
  result() = default;
  result(failure error) : error_(std::move(error)) {}

  bool ok() const noexcept { return !error_.has_value(); }
  explicit operator bool() const noexcept { return ok(); }

  const std::string& error() const {
    if (ok()) {
      throw std::logic_error("result::error() called on a successful result");
    }
    return error_->message;
  }

 private:
  std::optional<failure> error_;
};

using status = result<void>;

}  // namespace wolfpack
