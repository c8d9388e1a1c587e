#include "wolfpack/log_format.hpp"

#include <algorithm>
#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <map>
#include <string_view>
#include <vector>

#include "wolfpack/wide_string.hpp"

namespace wolfpack {
namespace {

// Widths and precisions beyond this cannot change a message cut to 500 characters; the
// clamp keeps a hostile "%999999999d" from allocating gigabytes.
constexpr int max_field = 1024;
// Past this length the final message is known: stop formatting.
constexpr std::size_t enough_output = max_log_message_chars + 2;

enum class length_mod { none, hh, h, l, ll, w, I, I32, I64, j, z, t, L };

// One printf conversion: %[flags][width][.precision][length]conversion.
struct conversion {
  std::string flags;  // any of "-+ #0"
  int width = -1;
  bool width_star = false;
  int precision = -1;
  bool precision_star = false;
  length_mod length = length_mod::none;
  wchar_t conv = 0;

  bool left_justify() const { return flags.find('-') != std::string::npos; }
  int stars() const { return (width_star ? 1 : 0) + (precision_star ? 1 : 0); }
};

enum class arg_kind {
  none,
  int32,
  int64,
  intptr,
  intmax,
  dbl,
  long_dbl,
  wide_str,
  narrow_str,
  wide_char,
  narrow_char,
  pointer
};

struct arg_value {
  arg_kind kind = arg_kind::none;
  long long i = 0;
  unsigned long long u = 0;
  long double d = 0;
  const wchar_t* wide = nullptr;
  const char* narrow = nullptr;
  const void* pointer = nullptr;
};

bool is_digit(wchar_t c) {
  return c >= L'0' && c <= L'9';
}

int parse_number(const wchar_t*& p) {
  long long n = 0;
  while (is_digit(*p)) {
    n = std::min<long long>(n * 10 + (*p - L'0'), max_field);
    ++p;
  }
  return static_cast<int>(n);
}

// Parses from just after '%' (or after '!' in a FormatMessage spec). Returns the position
// after the conversion character, or nullptr if this is no valid conversion.
const wchar_t* parse_conversion(const wchar_t* p, conversion& c) {
  while (*p == L'-' || *p == L'+' || *p == L' ' || *p == L'#' || *p == L'0') {
    c.flags.push_back(static_cast<char>(*p));
    ++p;
  }
  if (*p == L'*') {
    c.width_star = true;
    ++p;
  } else if (is_digit(*p)) {
    c.width = parse_number(p);
  }
  if (*p == L'.') {
    ++p;
    if (*p == L'*') {
      c.precision_star = true;
      ++p;
    } else {
      c.precision = parse_number(p);
    }
  }
  switch (*p) {
    case L'h':
      ++p;
      c.length = length_mod::h;
      if (*p == L'h') {
        ++p;
        c.length = length_mod::hh;
      }
      break;
    case L'l':
      ++p;
      c.length = length_mod::l;
      if (*p == L'l') {
        ++p;
        c.length = length_mod::ll;
      }
      break;
    case L'q':
      ++p;
      c.length = length_mod::ll;
      break;
    case L'w':
      ++p;
      c.length = length_mod::w;
      break;
    case L'I':
      ++p;
      c.length = length_mod::I;
      if (p[0] == L'6' && p[1] == L'4') {
        p += 2;
        c.length = length_mod::I64;
      } else if (p[0] == L'3' && p[1] == L'2') {
        p += 2;
        c.length = length_mod::I32;
      }
      break;
    case L'j':
      ++p;
      c.length = length_mod::j;
      break;
    case L'z':
      ++p;
      c.length = length_mod::z;
      break;
    case L't':
      ++p;
      c.length = length_mod::t;
      break;
    case L'L':
      ++p;
      c.length = length_mod::L;
      break;
    default:
      break;
  }
  static constexpr std::wstring_view conversions = L"diouxXcCsSpeEfFgGaAn";
  if (*p == L'\0' || conversions.find(*p) == std::wstring_view::npos)
    return nullptr;
  c.conv = *p;
  return p + 1;
}

bool wide_modifier(length_mod m) {
  return m == length_mod::l || m == length_mod::w;
}

arg_kind kind_of(const conversion& c) {
  switch (c.conv) {
    case L'd':
    case L'i':
    case L'o':
    case L'u':
    case L'x':
    case L'X':
      switch (c.length) {
        case length_mod::ll:
        case length_mod::I64:
        case length_mod::L:
          return arg_kind::int64;
        case length_mod::I:
        case length_mod::z:
        case length_mod::t:
          return arg_kind::intptr;
        case length_mod::j:
          return arg_kind::intmax;
        default:  // none, hh, h, and l/w/I32: Windows' long is 32 bits
          return arg_kind::int32;
      }
    case L'e':
    case L'E':
    case L'f':
    case L'F':
    case L'g':
    case L'G':
    case L'a':
    case L'A':
      return c.length == length_mod::L ? arg_kind::long_dbl : arg_kind::dbl;
    case L'c':
      return c.length == length_mod::h ? arg_kind::narrow_char : arg_kind::wide_char;
    case L'C':
      return wide_modifier(c.length) ? arg_kind::wide_char : arg_kind::narrow_char;
    case L's':
      return c.length == length_mod::h ? arg_kind::narrow_str : arg_kind::wide_str;
    case L'S':
      return wide_modifier(c.length) ? arg_kind::wide_str : arg_kind::narrow_str;
    case L'p':
      return arg_kind::pointer;
    default:
      return arg_kind::none;
  }
}

arg_value fetch(va_list& ap, arg_kind kind) {
  arg_value v;
  v.kind = kind;
  switch (kind) {
    case arg_kind::none:
      break;
    case arg_kind::int32:
    case arg_kind::wide_char:
    case arg_kind::narrow_char: {
      const int x = va_arg(ap, int);
      v.i = x;
      v.u = static_cast<unsigned int>(x);
      break;
    }
    case arg_kind::int64: {
      const long long x = va_arg(ap, long long);
      v.i = x;
      v.u = static_cast<unsigned long long>(x);
      break;
    }
    case arg_kind::intptr: {
      const std::intptr_t x = va_arg(ap, std::intptr_t);
      v.i = x;
      v.u = static_cast<std::uintptr_t>(x);
      break;
    }
    case arg_kind::intmax: {
      const std::intmax_t x = va_arg(ap, std::intmax_t);
      v.i = x;
      v.u = static_cast<std::uintmax_t>(x);
      break;
    }
    case arg_kind::dbl:
      v.d = va_arg(ap, double);
      break;
    case arg_kind::long_dbl:
      v.d = va_arg(ap, long double);
      break;
    case arg_kind::wide_str:
      v.wide = va_arg(ap, const wchar_t*);
      break;
    case arg_kind::narrow_str:
      v.narrow = va_arg(ap, const char*);
      break;
    case arg_kind::pointer:
      v.pointer = va_arg(ap, const void*);
      break;
  }
  return v;
}

std::wstring widen_ascii(const std::string& s) {
  return std::wstring(s.begin(), s.end());
}

std::wstring pad(std::wstring text, const conversion& c) {
  if (c.width > 0 && text.size() < static_cast<std::size_t>(c.width)) {
    const std::size_t fill = static_cast<std::size_t>(c.width) - text.size();
    if (c.left_justify()) {
      text.append(fill, L' ');
    } else {
      text.insert(0, fill, L' ');
    }
  }
  return text;
}

template <typename T>
std::string snprintf_string(const std::string& spec, T value) {
  const int n = std::snprintf(nullptr, 0, spec.c_str(), value);
  if (n <= 0)
    return {};
  std::string out(static_cast<std::size_t>(n) + 1, '\0');
  std::snprintf(out.data(), out.size(), spec.c_str(), value);
  out.resize(static_cast<std::size_t>(n));
  return out;
}

std::string numeric_spec(const conversion& c, const char* length, char conv) {
  // Appended piece by piece: GCC 12 at -O3 warns (-Wrestrict, a false positive) on
  // "%" + flags, which -Werror would turn into a failed Release build.
  std::string spec(1, '%');
  spec += c.flags;
  if (c.width >= 0)
    spec += std::to_string(c.width);
  if (c.precision >= 0) {
    spec += '.';
    spec += std::to_string(c.precision);
  }
  spec += length;
  spec.push_back(conv);
  return spec;
}

std::wstring render(const conversion& c, const arg_value& v) {
  switch (c.conv) {
    case L'd':
    case L'i':
    case L'o':
    case L'u':
    case L'x':
    case L'X': {
      const bool is_signed = c.conv == L'd' || c.conv == L'i';
      const char conv = c.conv == L'i' ? 'd' : static_cast<char>(c.conv);
      const std::string spec = numeric_spec(c, "ll", conv);
      if (is_signed) {
        long long x = v.i;
        if (v.kind == arg_kind::int32) {
          x = c.length == length_mod::hh  ? static_cast<signed char>(x)
              : c.length == length_mod::h ? static_cast<short>(x)
                                          : static_cast<std::int32_t>(x);
        }
        return widen_ascii(snprintf_string(spec, x));
      }
      unsigned long long x = v.u;
      if (v.kind == arg_kind::int32) {
        x = c.length == length_mod::hh  ? static_cast<unsigned char>(x)
            : c.length == length_mod::h ? static_cast<unsigned short>(x)
                                        : static_cast<std::uint32_t>(x);
      }
      return widen_ascii(snprintf_string(spec, x));
    }
    case L'e':
    case L'E':
    case L'f':
    case L'F':
    case L'g':
    case L'G':
    case L'a':
    case L'A': {
      if (v.kind == arg_kind::long_dbl) {
        return widen_ascii(snprintf_string(numeric_spec(c, "L", static_cast<char>(c.conv)), v.d));
      }
      return widen_ascii(snprintf_string(numeric_spec(c, "", static_cast<char>(c.conv)),
                                         static_cast<double>(v.d)));
    }
    case L'c':
    case L'C': {
      // A narrow character is one byte of the ANSI code page; take it as Latin-1.
      const wchar_t ch = v.kind == arg_kind::narrow_char
                             ? static_cast<wchar_t>(static_cast<unsigned char>(v.i))
                             : static_cast<wchar_t>(v.i);
      return pad(std::wstring(1, ch), c);
    }
    case L's':
    case L'S': {
      std::wstring text;
      if (v.kind == arg_kind::narrow_str) {
        text = v.narrow ? from_utf8(v.narrow) : L"(null)";
      } else {
        text = v.wide ? std::wstring(v.wide) : L"(null)";
      }
      if (c.precision >= 0 && text.size() > static_cast<std::size_t>(c.precision)) {
        text.resize(static_cast<std::size_t>(c.precision));
      }
      return pad(std::move(text), c);
    }
    case L'p': {
      // Windows prints a pointer as upper-case hex, zero-padded to its full width.
      char buf[2 * sizeof(void*) + 1];
      std::snprintf(buf, sizeof buf, "%0*" PRIXPTR, static_cast<int>(2 * sizeof(void*)),
                    reinterpret_cast<std::uintptr_t>(v.pointer));
      return pad(widen_ascii(buf), c);
    }
    default:
      return {};
  }
}

// Resolves '*' width/precision values (a negative width means left-justify, a negative
// precision means none, as in printf).
void apply_star_values(conversion& c, const arg_value* width, const arg_value* precision) {
  if (c.width_star) {
    long long w = width ? static_cast<std::int32_t>(width->i) : 0;
    if (w < 0) {
      c.flags.push_back('-');
      w = -w;
    }
    c.width = static_cast<int>(std::min<long long>(w, max_field));
  }
  if (c.precision_star) {
    const long long p = precision ? static_cast<std::int32_t>(precision->i) : -1;
    c.precision = p < 0 ? -1 : static_cast<int>(std::min<long long>(p, max_field));
  }
}

// ---- FormatMessage dialect -----------------------------------------------------------

struct insert {
  int index = 0;  // 1..99
  conversion spec;
};

// Parses an insert at p (the first digit after '%'). Returns the position after it.
const wchar_t* parse_insert(const wchar_t* p, insert& out) {
  int index = *p++ - L'0';
  if (is_digit(*p))
    index = index * 10 + (*p++ - L'0');
  out.index = index;
  out.spec = conversion{};
  out.spec.conv = L's';
  if (*p == L'!') {
    conversion c;
    const wchar_t* end = parse_conversion(p + 1, c);
    if (end != nullptr && *end == L'!' && c.conv != L'n') {
      out.spec = c;
      return end + 1;
    }
  }
  return p;  // no (valid) spec: the default !s!, and the text after it is literal
}

bool uses_format_message_inserts(const wchar_t* f) {
  for (const wchar_t* p = f; *p != L'\0'; ++p) {
    if (*p != L'%')
      continue;
    const wchar_t* q = p + 1;
    if (*q == L'%') {
      p = q;
      continue;
    }
    if (*q < L'1' || *q > L'9')
      continue;
    const wchar_t* after_digits = q;
    while (is_digit(*after_digits))
      ++after_digits;
    if (*after_digits == L'!')
      return true;
    // "%10d" is a printf width, "%1 failed" an insert.
    conversion c;
    const wchar_t* end = parse_conversion(q, c);
    if (end == nullptr || c.conv == L'n')
      return true;
    p = end - 1;
  }
  return false;
}

std::wstring format_message_style(const wchar_t* format, va_list& ap) {
  // Pass 1: the type of each argument number.
  std::map<int, arg_kind> kinds;
  int highest = 0;
  for (const wchar_t* p = format; *p != L'\0'; ++p) {
    if (*p != L'%')
      continue;
    const wchar_t* q = p + 1;
    if (*q >= L'1' && *q <= L'9') {
      insert ins;
      const wchar_t* end = parse_insert(q, ins);
      for (int k = 0; k < ins.spec.stars(); ++k)
        kinds.emplace(ins.index + k, arg_kind::int32);
      const int value_index = ins.index + ins.spec.stars();
      kinds.emplace(value_index, kind_of(ins.spec));
      highest = std::max(highest, value_index);
      p = end - 1;
    } else if (*q != L'\0') {
      p = q;  // an escape: skip its character
    }
  }
  // Fetch 1..highest in order; a number no insert mentions is taken as pointer-sized.
  std::vector<arg_value> args(static_cast<std::size_t>(highest) + 1);
  for (int n = 1; n <= highest; ++n) {
    const auto it = kinds.find(n);
    args[static_cast<std::size_t>(n)] =
        fetch(ap, it != kinds.end() ? it->second : arg_kind::intptr);
  }
  // Pass 2: render.
  std::wstring out;
  for (const wchar_t* p = format; *p != L'\0' && out.size() <= enough_output; ++p) {
    if (*p != L'%') {
      out.push_back(*p);
      continue;
    }
    const wchar_t* q = p + 1;
    if (*q == L'\0') {
      out.push_back(L'%');
      break;
    }
    if (*q >= L'1' && *q <= L'9') {
      insert ins;
      const wchar_t* end = parse_insert(q, ins);
      const auto at = [&](int n) { return &args[static_cast<std::size_t>(n)]; };
      int next = ins.index;
      const arg_value* width = ins.spec.width_star ? at(next++) : nullptr;
      const arg_value* precision = ins.spec.precision_star ? at(next++) : nullptr;
      apply_star_values(ins.spec, width, precision);
      out += render(ins.spec, *at(next));
      p = end - 1;
      continue;
    }
    p = q;
    switch (*q) {
      case L'0':
        return out;  // end of message, and no trailing newline
      case L'n':
        out.push_back(L'\n');
        break;
      case L'r':
        out.push_back(L'\r');
        break;
      case L't':
        out.push_back(L'\t');
        break;
      case L'b':
        out.push_back(L' ');
        break;
      default:  // %% %. %! and anything else: the character itself
        out.push_back(*q);
        break;
    }
  }
  return out;
}

// ---- printf dialect -------------------------------------------------------------------

std::wstring printf_style(const wchar_t* format, va_list& ap) {
  std::wstring out;
  for (const wchar_t* p = format; *p != L'\0' && out.size() <= enough_output; ++p) {
    if (*p != L'%') {
      out.push_back(*p);
      continue;
    }
    const wchar_t* q = p + 1;
    if (*q == L'%') {
      out.push_back(L'%');
      p = q;
      continue;
    }
    if (*q == L'n') {
      // printf's %n would write through a pointer; Windows refuses it. The only sensible
      // reading in a log message is FormatMessage's newline.
      out.push_back(L'\n');
      p = q;
      continue;
    }
    conversion c;
    const wchar_t* end = parse_conversion(q, c);
    if (end == nullptr || c.conv == L'n') {
      out.push_back(L'%');  // not a conversion: print it as text
      continue;
    }
    arg_value width, precision;
    if (c.width_star)
      width = fetch(ap, arg_kind::int32);
    if (c.precision_star)
      precision = fetch(ap, arg_kind::int32);
    apply_star_values(c, &width, &precision);
    out += render(c, fetch(ap, kind_of(c)));
    p = end - 1;
  }
  return out;
}

}  // namespace

std::wstring format_log_message(const wchar_t* format, va_list args) {
  if (format == nullptr)
    return {};
  va_list ap;
  va_copy(ap, args);
  std::wstring out;
  try {
    out = uses_format_message_inserts(format) ? format_message_style(format, ap)
                                              : printf_style(format, ap);
  } catch (...) {
    va_end(ap);
    throw;
  }
  va_end(ap);
  if (!out.empty() && out.back() == L'\n') {
    out.pop_back();
    if (!out.empty() && out.back() == L'\r')
      out.pop_back();
  }
  if (out.size() > max_log_message_chars) {
    out.resize(max_log_message_chars);
    // Do not leave half of a UTF-16 surrogate pair behind.
    if constexpr (sizeof(wchar_t) == 2) {
      if (out.back() >= 0xD800 && out.back() <= 0xDBFF)
        out.pop_back();
    }
  }
  return out;
}

}  // namespace wolfpack
