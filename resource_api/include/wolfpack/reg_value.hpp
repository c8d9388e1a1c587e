// One typed value of the cluster registry, stored as the bytes Win32 stores: REG_SZ and
// REG_EXPAND_SZ as WCHARs with the terminator, REG_MULTI_SZ as terminated strings plus a
// final terminator, REG_DWORD and REG_QWORD little-endian (host order).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "wolfpack/win_types.h"

namespace wolfpack {

struct reg_value {
  DWORD type = REG_NONE;
  std::vector<std::uint8_t> data;

  friend bool operator==(const reg_value&, const reg_value&) = default;
};

WP_RESUTILS_API reg_value make_dword(DWORD value);
WP_RESUTILS_API reg_value make_qword(std::uint64_t value);
WP_RESUTILS_API reg_value make_sz(std::wstring_view value);
WP_RESUTILS_API reg_value make_expand_sz(std::wstring_view value);
// Empty strings cannot be represented inside a REG_MULTI_SZ and are left out.
WP_RESUTILS_API reg_value make_multi_sz(const std::vector<std::wstring>& values);
WP_RESUTILS_API reg_value make_binary(std::span<const std::uint8_t> value);

// Decoders: std::nullopt when the type or the size does not match.
WP_RESUTILS_API std::optional<DWORD> as_dword(const reg_value& value);  // REG_DWORD, 4 bytes
WP_RESUTILS_API std::optional<std::uint64_t> as_qword(
    const reg_value& value);  // REG_QWORD, 8 bytes
// REG_SZ or REG_EXPAND_SZ; the text up to the first terminator (a missing terminator is
// tolerated, as Win32 readers must).
WP_RESUTILS_API std::optional<std::wstring> as_sz(const reg_value& value);
WP_RESUTILS_API std::optional<std::vector<std::wstring>> as_multi_sz(const reg_value& value);
WP_RESUTILS_API std::optional<std::vector<std::uint8_t>> as_binary(
    const reg_value& value);  // REG_BINARY

}  // namespace wolfpack
