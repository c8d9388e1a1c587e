// Typed property values (the API's JSON form) to and from the CLUSPROP property lists that
// control codes carry: the service sends private properties to plugins this way, and
// libclusapi answers and takes the property control codes of its clients.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "wolfpack/common/result.hpp"
#include "wolfpack/common/typed_value.hpp"

namespace wolfpack::cluster {

// The CLUSPROP_FORMAT_* a value of `type` travels as: DWORD, ULARGE_INTEGER (QWORD), SZ,
// EXPAND_SZ, MULTI_SZ, BINARY.
std::uint16_t clusprop_format(value_type type);

// A property list of `properties`, in the map's order.
std::vector<std::uint8_t> to_property_list(const property_map& properties);

// The properties of a property list. DWORD, LONG and WORD values become DWORDs, ULARGE and
// LARGE ones QWORDs, SZ and EXPANDED_SZ SZ; a list that does not decode, or holds a format a
// typed value cannot hold, is an error that says where.
result<property_map> from_property_list(const void* data, std::size_t size);

// A MULTI_SZ of `names` (each terminated, then an extra terminator), as the ENUM_*_PROPERTIES
// control codes answer.
std::vector<std::uint8_t> to_name_list(const std::vector<std::string>& names);

}  // namespace wolfpack::cluster
