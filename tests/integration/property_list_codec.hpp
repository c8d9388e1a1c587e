#pragma once

// An independent CLUSPROP property-list builder and parser for the control-code tests
// (SPEC 6.5), written from the format rather than shared with the code under test, so that
// the Dummy, the monitor and the test cannot agree on the same mistake. Names and strings
// are WCHAR, which is 4 bytes off Windows.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace wolfpack::testing {

struct parsed_value {
  std::uint32_t syntax = 0;
  std::vector<std::uint8_t> data;  // cbLength bytes, without padding

  std::optional<std::uint32_t> as_dword() const;  // a 4-byte value
  std::optional<std::uint16_t> as_word() const;   // a 2-byte value
  std::optional<std::string> as_string() const;   // NUL-terminated WCHARs, ASCII only
};

struct parsed_property {
  std::string name;
  std::vector<parsed_value> values;  // before the end mark
};

// Parses a property list (also a property-format list): a count, then per property a NAME
// entry, value entries and an end mark. nullopt when it is malformed or truncated.
std::optional<std::vector<parsed_property>> parse_property_list(
    const std::vector<std::uint8_t>& bytes);

// Finds a property by exact name.
const parsed_property* find_property(const std::vector<parsed_property>& list,
                                     const std::string& name);

class property_list_builder {
 public:
  property_list_builder& dword(const std::string& name, std::uint32_t value);
  property_list_builder& sz(const std::string& name, const std::string& value);
  std::vector<std::uint8_t> bytes() const;

 private:
  void add_name(const std::string& name);
  void add_value(std::uint32_t syntax, const std::vector<std::uint8_t>& data);
  void put_dword(std::uint32_t v);

  std::uint32_t count_ = 0;
  std::vector<std::uint8_t> body_;
};

}  // namespace wolfpack::testing
