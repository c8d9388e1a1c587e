#include "target.hpp"

#include <optional>

#include <wolfpack/common/hex.hpp>

namespace wolfpack::api::detail {
namespace {

using hex::digit_value;

// nullopt on a malformed escape or %00.
std::optional<std::string> decode(std::string_view text, bool plus_is_space) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '%') {
      if (i + 2 >= text.size()) {
        return std::nullopt;
      }
      const int high = digit_value(text[i + 1]);
      const int low = digit_value(text[i + 2]);
      if (high < 0 || low < 0 || (high == 0 && low == 0)) {
        return std::nullopt;
      }
      out.push_back(static_cast<char>(high * 16 + low));
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  return out;
}

}  // namespace

result<parsed_target> parse_target(std::string_view target) {
  if (target.empty() || target.front() != '/') {
    return fail("request target '" + std::string(target) + "' does not start with '/'");
  }
  const auto question = target.find('?');
  const auto path_text =
      target.substr(1, question == std::string_view::npos ? std::string_view::npos : question - 1);
  parsed_target parsed;

  std::size_t start = 0;
  while (start <= path_text.size() && !path_text.empty()) {
    auto end = path_text.find('/', start);
    if (end == std::string_view::npos) {
      end = path_text.size();
    }
    const auto raw = path_text.substr(start, end - start);
    if (!(raw.empty() && end == path_text.size())) {  // the trailing slash's empty segment
      auto segment = decode(raw, false);
      if (!segment) {
        return fail("request target path segment '" + std::string(raw) +
                    "' is not valid percent-encoding");
      }
      parsed.path.push_back(std::move(*segment));
    }
    start = end + 1;
  }

  if (question != std::string_view::npos) {
    const auto query_text = target.substr(question + 1);
    start = 0;
    while (start < query_text.size()) {
      auto end = query_text.find('&', start);
      if (end == std::string_view::npos) {
        end = query_text.size();
      }
      const auto pair = query_text.substr(start, end - start);
      start = end + 1;
      if (pair.empty()) {
        continue;
      }
      const auto equals = pair.find('=');
      const auto raw_key = pair.substr(0, equals);
      const auto raw_value =
          equals == std::string_view::npos ? std::string_view{} : pair.substr(equals + 1);
      auto key = decode(raw_key, true);
      auto value = decode(raw_value, true);
      if (!key || !value) {
        return fail("request target query parameter '" + std::string(pair) +
                    "' is not valid percent-encoding");
      }
      parsed.query.insert_or_assign(std::move(*key), std::move(*value));
    }
  }
  return parsed;
}

}  // namespace wolfpack::api::detail
