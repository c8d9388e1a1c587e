// Typed property values (the API's JSON form) to and from the CLUSPROP property lists that
// control codes carry: the service sends private properties to plugins this way, and
// libclusapi answers and takes the property control codes of its clients.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "wolfpack/cluster_core/common_properties.hpp"
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

// A *_PROPERTY_FMTS answer for `specs`, in order: per property its format, then (clusapi.h,
// WP_CLUSPROP_TYPE_*) its default when it has one, its range when it is a DWORD or QWORD,
// and the read-only flag.
std::vector<std::uint8_t> to_format_list(const std::vector<const property_spec*>& specs);

// A MULTI_SZ of `names` (each terminated, then an extra terminator), as the ENUM_*_PROPERTIES
// control codes answer.
std::vector<std::uint8_t> to_name_list(const std::vector<std::string>& names);

}  // namespace wolfpack::cluster
