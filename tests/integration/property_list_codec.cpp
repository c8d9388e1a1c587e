#include "property_list_codec.hpp"

#include <cstring>

#include <wolfpack/clusapi.h>

namespace wolfpack::testing {

namespace {

constexpr std::size_t align4(std::size_t n) {
  return (n + 3) & ~std::size_t{3};
}

std::vector<std::uint8_t> wide_bytes(const std::string& ascii) {
  std::vector<std::uint8_t> out((ascii.size() + 1) * sizeof(WCHAR), 0);
  for (std::size_t i = 0; i < ascii.size(); ++i) {
    const WCHAR c = static_cast<WCHAR>(static_cast<unsigned char>(ascii[i]));
    std::memcpy(out.data() + i * sizeof(WCHAR), &c, sizeof c);
  }
  return out;
}

std::optional<std::string> narrow(const std::vector<std::uint8_t>& data) {
  if (data.size() < sizeof(WCHAR) || data.size() % sizeof(WCHAR) != 0)
    return std::nullopt;
  std::string out;
  for (std::size_t off = 0; off < data.size(); off += sizeof(WCHAR)) {
    WCHAR c;
    std::memcpy(&c, data.data() + off, sizeof c);
    if (c == 0)
      return out;
    if (static_cast<std::uint32_t>(c) > 0x7F)
      return std::nullopt;
    out.push_back(static_cast<char>(c));
  }
  return std::nullopt;  // no terminating NUL
}

class reader {
 public:
  explicit reader(const std::vector<std::uint8_t>& b) : b_(b) {}
  bool dword(std::uint32_t& v) {
    if (pos_ + 4 > b_.size())
      return false;
    std::memcpy(&v, b_.data() + pos_, 4);
    pos_ += 4;
    return true;
  }
  bool bytes(std::size_t n, std::vector<std::uint8_t>& out) {
    if (pos_ + align4(n) > b_.size())
      return false;
    out.assign(b_.begin() + static_cast<std::ptrdiff_t>(pos_),
               b_.begin() + static_cast<std::ptrdiff_t>(pos_ + n));
    pos_ += align4(n);
    return true;
  }

 private:
  const std::vector<std::uint8_t>& b_;
  std::size_t pos_ = 0;
};

}  // namespace

std::optional<std::uint32_t> parsed_value::as_dword() const {
  if (data.size() != 4)
    return std::nullopt;
  std::uint32_t v;
  std::memcpy(&v, data.data(), 4);
  return v;
}

std::optional<std::uint16_t> parsed_value::as_word() const {
  if (data.size() != 2)
    return std::nullopt;
  std::uint16_t v;
  std::memcpy(&v, data.data(), 2);
  return v;
}

std::optional<std::string> parsed_value::as_string() const {
  return narrow(data);
}

std::optional<std::vector<parsed_property>> parse_property_list(
    const std::vector<std::uint8_t>& bytes) {
  reader in(bytes);
  std::uint32_t count = 0;
  if (!in.dword(count))
    return std::nullopt;
  std::vector<parsed_property> out;
  for (std::uint32_t i = 0; i < count; ++i) {
    std::uint32_t syntax = 0, length = 0;
    std::vector<std::uint8_t> data;
    if (!in.dword(syntax) || syntax != CLUSPROP_SYNTAX_NAME || !in.dword(length) ||
        !in.bytes(length, data)) {
      return std::nullopt;
    }
    parsed_property p;
    auto name = narrow(data);
    if (!name)
      return std::nullopt;
    p.name = *name;
    for (;;) {
      if (!in.dword(syntax))
        return std::nullopt;
      if (syntax == CLUSPROP_SYNTAX_ENDMARK)
        break;
      parsed_value v;
      v.syntax = syntax;
      if (!in.dword(length) || !in.bytes(length, v.data))
        return std::nullopt;
      p.values.push_back(std::move(v));
    }
    out.push_back(std::move(p));
  }
  return out;
}

const parsed_property* find_property(const std::vector<parsed_property>& list,
                                     const std::string& name) {
  for (const auto& p : list) {
    if (p.name == name)
      return &p;
  }
  return nullptr;
}

property_list_builder& property_list_builder::dword(const std::string& name, std::uint32_t value) {
  add_name(name);
  std::vector<std::uint8_t> data(4);
  std::memcpy(data.data(), &value, 4);
  add_value(CLUSPROP_SYNTAX_LIST_VALUE_DWORD, data);
  return *this;
}

property_list_builder& property_list_builder::sz(const std::string& name,
                                                 const std::string& value) {
  add_name(name);
  add_value(CLUSPROP_SYNTAX_LIST_VALUE_SZ, wide_bytes(value));
  return *this;
}

std::vector<std::uint8_t> property_list_builder::bytes() const {
  std::vector<std::uint8_t> out(4);
  std::memcpy(out.data(), &count_, 4);
  out.insert(out.end(), body_.begin(), body_.end());
  return out;
}

void property_list_builder::add_name(const std::string& name) {
  ++count_;
  const auto data = wide_bytes(name);
  put_dword(CLUSPROP_SYNTAX_NAME);
  put_dword(static_cast<std::uint32_t>(data.size()));
  body_.insert(body_.end(), data.begin(), data.end());
  body_.resize(align4(body_.size()), 0);
}

void property_list_builder::add_value(std::uint32_t syntax, const std::vector<std::uint8_t>& data) {
  put_dword(syntax);
  put_dword(static_cast<std::uint32_t>(data.size()));
  body_.insert(body_.end(), data.begin(), data.end());
  body_.resize(align4(body_.size()), 0);
  put_dword(CLUSPROP_SYNTAX_ENDMARK);
}

void property_list_builder::put_dword(std::uint32_t v) {
  const auto at = body_.size();
  body_.resize(at + 4);
  std::memcpy(body_.data() + at, &v, 4);
}

}  // namespace wolfpack::testing
