// Conversions between WCHAR strings (wchar_t: UTF-16 on Windows, UTF-32 elsewhere) and
// UTF-8, the encoding of JSON on the wire and of the logs.
#pragma once

#include <string>
#include <string_view>

#include "wolfpack/export.h"

namespace wolfpack {

// Invalid input (unpaired surrogates, code points above U+10FFFF) becomes U+FFFD.
// Never throws except std::bad_alloc.
WP_RESUTILS_API std::string to_utf8(std::wstring_view text);

// Invalid UTF-8 (bad or truncated sequences, overlong forms, encoded surrogates) becomes
// U+FFFD, one per maximal invalid subsequence. Never throws except std::bad_alloc.
WP_RESUTILS_API std::wstring from_utf8(std::string_view text);

}  // namespace wolfpack
