// Renders the format string and arguments a resource DLL passes to its LogEvent callback.
#pragma once

#include <cstdarg>
#include <cstddef>
#include <string>

#include "wolfpack/export.h"

namespace wolfpack {

// The documented maximum length of one LogEvent entry.
inline constexpr std::size_t max_log_message_chars = 500;

// Two dialects, as resource DLLs use both:
//  - FormatMessage inserts, when the format has one (%1..%99, optionally with a printf
//    spec between exclamation marks: %1!u!, %2!ws!, %3!08X!; the default is !s!). The
//    arguments are fetched in order 1..N by the types their inserts declare; an argument
//    no insert mentions is taken as pointer-sized. A star in a spec takes the width or
//    precision from the insert number itself and shifts the value to the next numbers
//    (%1!*s!: width %1, value %2). Escapes: %% %n %r %t %b %. %! and %0 (end of message).
//  - otherwise printf, with Windows' wide-printf meanings: %s %ls %ws are wide strings,
//    %S %hs narrow (UTF-8) strings, %c wide and %C/%hc narrow characters, %d %u %x %X %o
//    32-bit even with l (Windows' long), %lld %I64d 64-bit, %Id %zd pointer-sized, %p
//    (upper-case hex, full width), floating point, flags, width and precision with '*'.
// A NULL string argument prints "(null)". One trailing newline (\n or \r\n) is removed
// and the result is cut to max_log_message_chars characters. Never throws except
// std::bad_alloc. The arguments must match the format, as for printf.
WP_RESUTILS_API std::wstring format_log_message(const wchar_t* format, va_list args);

}  // namespace wolfpack
