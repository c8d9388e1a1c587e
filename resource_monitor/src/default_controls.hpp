#pragma once

#include <cstdint>
#include <vector>

#include <wolfpack/registry_tree.hpp>

#include "core_support.hpp"

namespace wolfpack::monitor {

struct control_result {
  std::uint32_t status = 0;
  std::vector<std::uint8_t> out;
  std::uint32_t bytes_returned = 0;
};

// What the monitor does when a plugin answers a control code with ERROR_INVALID_FUNCTION
// (SPEC 2.7 item 7): private properties are an untyped bag in the Parameters key.
control_result default_resource_control(wolfpack::registry_tree& tree, std::uint64_t token,
                                        const control_args& args,
                                        std::vector<registry_write>& writes);
control_result default_type_control(const control_args& args);

}  // namespace wolfpack::monitor
