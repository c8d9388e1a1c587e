#pragma once

// What a reservation file says: who holds it (node, resource, pid), the instance that holds
// it (a random token per acquisition), how often the holder renews it, and two counters.

#include <cstdint>
#include <string>

#include "wolfpack/lab/claim_registry.hpp"

namespace wolfpack::lab {

struct lease_record {
  holder owner;
  std::string token;              // empty: nobody holds the reservation
  std::uint64_t epoch = 0;        // +1 on every change of holder (kept across releases)
  std::uint64_t seq = 0;          // +1 on every renewal: a challenger watches it move
  std::uint32_t interval_ms = 0;  // how often the holder renews

  bool held() const noexcept { return !token.empty(); }
  // Same holder instance and same renewal: nothing happened between two reads.
  bool same_as(const lease_record& other) const noexcept {
    return token == other.token && seq == other.seq && epoch == other.epoch;
  }

  std::string to_text() const;
  static lease_record parse(const std::string& text);
};

// A fresh random token.
std::string new_token();

}  // namespace wolfpack::lab
