// The event history of one simulated run as JSON lines (`wolfpack sim --trace FILE`): one
// object per line with the virtual time "t" (ms), the "kind" of event and its fields, in the
// order things happened. Without a stream nothing is built.
#pragma once

#include <ostream>
#include <string>

#include <nlohmann/json.hpp>

#include "wolfpack/cluster_core/core_io.hpp"

namespace wolfpack::cluster::sim {

class sim_trace {
 public:
  explicit sim_trace(std::ostream* out = nullptr) : out_(out) {}

  bool enabled() const { return out_ != nullptr; }
  // {"t": at, "kind": kind, ...fields}
  void record(time_ms at, const std::string& kind, const nlohmann::json& fields = {}) {
    if (out_ == nullptr)
      return;
    nlohmann::json line{{"t", at}, {"kind", kind}};
    if (fields.is_object()) {
      for (const auto& [k, v] : fields.items())
        line[k] = v;
    }
    *out_ << line.dump() << '\n';
  }

 private:
  std::ostream* out_;
};

}  // namespace wolfpack::cluster::sim
