#include "wolfpack/cluster_runtime/log_fields.hpp"

#include <array>
#include <utility>
#include <vector>

namespace wolfpack::runtime {
namespace {

using field_list = std::vector<log::field>;
using writer = void (*)(log_level, std::string_view, const field_list&, std::string_view);

template <std::size_t... I>
void write_indexed(log_level level, std::string_view component, const field_list& fields,
                   std::string_view message, std::index_sequence<I...>) {
  log::write_line(level, component, {fields[I]...}, message);
}

template <std::size_t N>
void write_exactly(log_level level, std::string_view component, const field_list& fields,
                   std::string_view message) {
  write_indexed(level, component, fields, message, std::make_index_sequence<N>{});
}

// writers[n] passes the first n fields as one braced list.
template <std::size_t... N>
constexpr std::array<writer, sizeof...(N)> make_writers(std::index_sequence<N...>) {
  return {&write_exactly<N>...};
}
constexpr auto writers = make_writers(std::make_index_sequence<max_log_fields + 1>{});

}  // namespace

void write_log_line(log_level level, std::string_view component, std::string_view message,
                    const std::map<std::string, std::string>& fields) {
  if (!log::detail::enabled(level)) {
    return;
  }
  field_list list;
  std::string text(message);
  for (const auto& [key, value] : fields) {
    if (list.size() < max_log_fields) {
      list.push_back(log::field{key, value});
    } else {
      text += " " + key + "=" + value;
    }
  }
  writers[list.size()](level, component, list, text);
}

}  // namespace wolfpack::runtime
