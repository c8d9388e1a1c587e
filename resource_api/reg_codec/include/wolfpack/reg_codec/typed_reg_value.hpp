// A cluster database value (typed_value, the JSON form of the API and the monitor
// protocol) as the registry functions carry it (reg_value: a REG_* type and its bytes), and
// back. Shared by resrcmon (a plugin's key) and libclusapi (GetClusterKey's keys).
#pragma once

#include "wolfpack/common/typed_value.hpp"
#include "wolfpack/reg_value.hpp"

namespace wolfpack {

reg_value to_reg_value(const typed_value& value);

// REG_DWORD, REG_QWORD, REG_SZ, REG_EXPAND_SZ and REG_MULTI_SZ keep their type (a DWORD or
// QWORD shorter than its size reads as zero-extended); every other type is kept as BINARY.
typed_value from_reg_value(const reg_value& value);

}  // namespace wolfpack
