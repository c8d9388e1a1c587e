#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "wolfpack/common/result.hpp"
#include "wolfpack/common/typed_value.hpp"

namespace wolfpack::cluster::detail {

// How a value sits in the `data` BLOB column, close to the registry's own layout:
//   DWORD      4 bytes little-endian        QWORD   8 bytes little-endian
//   SZ, EXPAND_SZ  the UTF-8 bytes, no terminator
//   MULTI_SZ   each string followed by one NUL (an empty list is no bytes)
//   BINARY     the bytes
std::vector<std::uint8_t> encode_value(const typed_value& value);

// The inverse; errors say what does not fit ("DWORD data has 3 bytes").
[[nodiscard]] result<typed_value> decode_value(value_type type, const std::uint8_t* data,
                                               std::size_t size);

}  // namespace wolfpack::cluster::detail
