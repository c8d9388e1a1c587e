#include "wolfpack/cluster_db/db_tree.hpp"

#include <algorithm>
#include <cstring>
#include <stdexcept>
#include <utility>

#include "key_text.hpp"
#include "sha256.hpp"
#include "wolfpack/cluster_db/db_path.hpp"
#include "wolfpack/common/json_kind.hpp"

namespace wolfpack::cluster {
namespace {

using wolfpack::detail::json_kind;

// The registry's own type numbers (REG_SZ = 1, ...) tag values in the hash.
std::uint8_t registry_type(value_type type) {
  switch (type) {
    case value_type::sz:
      return 1;
    case value_type::expand_sz:
      return 2;
    case value_type::binary:
      return 3;
    case value_type::dword:
      return 4;
    case value_type::multi_sz:
      return 7;
    case value_type::qword:
      return 11;
  }
  throw std::logic_error("db_tree: unknown value type");
}

// The digest of one entry, 128 bits: the entry's bytes under FNV-1a from two seeds, then a
// finaliser (splitmix64's) so that every input bit reaches every output bit. The bytes are fed
// as they are read rather than gathered into a string first, both halves in one pass: every
// write digests the values it touches, and a snapshot every value of the database.
class entry_digest {
 public:
  void byte(unsigned char c) {
    low_ = (low_ ^ c) * prime;
    high_ = (high_ ^ c) * prime;
    ++size_;
  }
  void number(std::uint64_t n) {
    unsigned char raw[sizeof n];
    std::memcpy(raw, &n, sizeof n);
    for (const auto c : raw)
      byte(c);
  }
  // The length, then the bytes (folded: each ASCII upper-case letter made lower case).
  void counted(std::string_view bytes, bool fold = false) {
    number(bytes.size());
    for (const char c : bytes)
      byte(fold ? folded_byte(c) : static_cast<unsigned char>(c));
  }
  // digest += or -= this entry, the sum modulo 2^128.
  void count(std::uint64_t& low, std::uint64_t& high, bool add) const {
    const std::uint64_t l = finish(low_);
    const std::uint64_t h = finish(high_);
    const std::uint64_t before = low;
    if (add) {
      low += l;
      high += h + (low < before ? 1 : 0);
    } else {
      low -= l;
      high -= h + (low > before ? 1 : 0);
    }
  }

 private:
  static constexpr std::uint64_t basis = 0xcbf29ce484222325ull;
  static constexpr std::uint64_t prime = 0x100000001b3ull;
  std::uint64_t finish(std::uint64_t h) const {
    h ^= size_;
    h = (h ^ (h >> 30)) * 0xbf58476d1ce4e5b9ull;
    h = (h ^ (h >> 27)) * 0x94d049bb133111ebull;
    return h ^ (h >> 31);
  }
  std::uint64_t low_ = basis ^ 0x9e3779b97f4a7c15ull;
  std::uint64_t high_ = basis ^ 0xd1b54a32d192ed03ull;
  std::uint64_t size_ = 0;
};

// One value's entry: the same fields hash() reads. The key's path is folded as it is fed.
void digest_value(entry_digest& d, std::string_view key_path, const named_value& value) {
  d.byte('V');
  d.counted(key_path, true);
  d.counted(value.name, true);
  const auto& v = value.value;
  d.byte(registry_type(v.type));
  switch (v.type) {
    case value_type::dword:
    case value_type::qword:
      d.number(v.as_number());
      break;
    case value_type::sz:
    case value_type::expand_sz:
      d.counted(v.as_string());
      break;
    case value_type::multi_sz:
      d.number(v.as_strings().size());
      for (const auto& s : v.as_strings())
        d.counted(s);
      break;
    case value_type::binary: {
      const auto& bytes = v.as_bytes();
      d.counted(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
      break;
    }
  }
}

}  // namespace

db_tree::db_tree() {
  const auto& root = keys_.emplace(std::string(), key_entry{}).first->second;
  count_key(root, true, false);
}

void db_tree::count_key(const key_entry& key, bool add, bool values) {
  entry_digest d;
  d.byte('K');
  d.counted(key.path, true);
  d.count(digest_low_, digest_high_, add);
  if (values) {
    for (const auto& [_, value] : key.values)
      count_value(key, value, add);
  }
}

void db_tree::count_value(const key_entry& key, const named_value& value, bool add) {
  entry_digest d;
  digest_value(d, key.path, value);
  d.count(digest_low_, digest_high_, add);
}

std::string db_tree::content_digest() const {
  static constexpr char hex[] = "0123456789abcdef";
  std::string out;
  for (const std::uint64_t word : {digest_high_, digest_low_}) {
    for (int shift = 60; shift >= 0; shift -= 4)
      out.push_back(hex[(word >> shift) & 0xF]);
  }
  return out;
}

const db_tree::key_entry* db_tree::find(std::string_view path) const {
  const auto it = keys_.find(path);
  return it == keys_.end() ? nullptr : &it->second;
}

db_tree::key_entry* db_tree::find(std::string_view path) {
  return const_cast<key_entry*>(std::as_const(*this).find(path));
}

template <typename Visit>
void db_tree::walk(Visit&& visit) const {
  // Depth first, children in folded order: parents before children, siblings sorted. A stack
  // instead of recursion, and one path buffer: the hash of a whole tree walks it often.
  struct level {
    const key_entry* key;
    std::map<std::string, std::string>::const_iterator next;
    std::size_t path_size;  // of the parent's path, to cut back to
  };
  std::vector<std::string> folded;
  std::string path;
  const auto& root = keys_.at(path);
  visit(folded, root);
  std::vector<level> stack{{&root, root.children.begin(), 0}};
  while (!stack.empty()) {
    auto& top = stack.back();
    if (top.next == top.key->children.end()) {
      path.resize(top.path_size);
      if (stack.size() > 1)
        folded.pop_back();
      stack.pop_back();
      continue;
    }
    const auto& child = top.next->first;
    ++top.next;
    const std::size_t parent_size = path.size();
    if (!path.empty())
      path.push_back(key_separator);
    path += child;
    const auto& key = keys_.find(path)->second;
    folded.push_back(child);
    visit(folded, key);
    stack.push_back({&key, key.children.begin(), parent_size});
  }
}

bool db_tree::key_exists(std::string_view path) const {
  return find(path) != nullptr;
}

std::optional<std::string> db_tree::key_name(std::string_view path) const {
  if (const auto* key = find(path))
    return key->name;
  return std::nullopt;
}

std::vector<std::string> db_tree::subkeys(std::string_view path) const {
  std::vector<std::string> out;
  if (const auto* key = find(path)) {
    out.reserve(key->children.size());
    for (const auto& [_, name] : key->children)
      out.push_back(name);
  }
  return out;
}

std::vector<named_value> db_tree::values(std::string_view path) const {
  std::vector<named_value> out;
  if (const auto* key = find(path)) {
    out.reserve(key->values.size());
    for (const auto& [_, value] : key->values)
      out.push_back(value);
  }
  return out;
}

const typed_value* db_tree::find_value(std::string_view path, std::string_view name) const {
  const auto* key = find(path);
  if (key == nullptr)
    return nullptr;
  const auto it = key->values.find(name);
  return it == key->values.end() ? nullptr : &it->second.value;
}

std::optional<typed_value> db_tree::get(std::string_view path, std::string_view name) const {
  if (const auto* value = find_value(path, name))
    return *value;
  return std::nullopt;
}

std::vector<std::string> db_tree::key_paths() const {
  std::vector<std::string> out;
  out.reserve(keys_.size());
  walk([&out](const std::vector<std::string>&, const key_entry& key) { out.push_back(key.path); });
  return out;
}

std::uint32_t db_tree::get_dword(std::string_view path, std::string_view name,
                                 std::uint32_t default_value) const {
  const auto* value = find_value(path, name);
  if (value == nullptr || value->type != value_type::dword)
    return default_value;
  return static_cast<std::uint32_t>(value->as_number());
}

std::uint64_t db_tree::get_qword(std::string_view path, std::string_view name,
                                 std::uint64_t default_value) const {
  const auto* value = find_value(path, name);
  if (value == nullptr || (value->type != value_type::qword && value->type != value_type::dword)) {
    return default_value;
  }
  return value->as_number();
}

std::string db_tree::get_sz(std::string_view path, std::string_view name,
                            std::string default_value) const {
  const auto* value = find_value(path, name);
  if (value == nullptr || (value->type != value_type::sz && value->type != value_type::expand_sz)) {
    return default_value;
  }
  return value->as_string();
}

std::vector<std::string> db_tree::get_multi_sz(std::string_view path, std::string_view name,
                                               std::vector<std::string> default_value) const {
  const auto* value = find_value(path, name);
  if (value == nullptr || value->type != value_type::multi_sz)
    return default_value;
  return value->as_strings();
}

status db_tree::create_key(std::string_view path) {
  auto components = split_key_path(path);
  if (!components)
    return fail(components.error());
  if (components->empty())
    return fail("cannot create the root key");
  // Walk down from the root; existing keys keep their spelling, new ones take the path's.
  std::string folded_path;
  key_entry* parent = &keys_.at(folded_path);  // elements never move, so this stays valid
  for (const auto& component : *components) {
    const std::string folded = fold_case(component);
    if (!folded_path.empty())
      folded_path.push_back(key_separator);
    folded_path += folded;
    auto it = keys_.find(folded_path);
    parent = it == keys_.end() ? &add_subkey(*parent, folded_path, component) : &it->second;
  }
  return {};
}

db_tree::key_entry& db_tree::add_subkey(key_entry& parent, const std::string& folded_path,
                                        std::string_view name) {
  key_entry entry;
  entry.name = name;
  entry.path = parent.path.empty() ? std::string(name) : parent.path + key_separator + entry.name;
  auto& added = keys_.emplace(folded_path, std::move(entry)).first->second;
  // The child's folded name ends its folded path (folding keeps the length).
  parent.children.emplace(folded_path.substr(folded_path.size() - name.size()), name);
  count_key(added, true, false);
  return added;
}

status db_tree::delete_key(std::string_view path) {
  if (auto ok = check_key_path(path); !ok)
    return ok;
  if (path.empty())
    return fail("cannot delete the root key");
  const auto first = keys_.find(path);
  if (first == keys_.end())
    return fail("key " + detail::in_quotes(path) + " does not exist");
  std::vector<std::string> doomed{first->first};
  for (std::size_t i = 0; i < doomed.size(); ++i) {
    for (const auto& [child, _] : keys_.at(doomed[i]).children)
      doomed.push_back(doomed[i] + key_separator + child);
  }
  const std::string folded_path = doomed.front();
  for (const auto& p : doomed) {
    const auto gone = keys_.find(p);
    count_key(gone->second, false, true);
    keys_.erase(gone);
  }
  const auto cut = folded_path.rfind(key_separator);
  const std::string parent = cut == std::string::npos ? std::string() : folded_path.substr(0, cut);
  const std::string name = cut == std::string::npos ? folded_path : folded_path.substr(cut + 1);
  keys_.at(parent).children.erase(name);
  return {};
}

status db_tree::set_value(std::string_view path, std::string_view name, typed_value value) {
  if (auto ok = check_value_name(name); !ok)
    return ok;
  if (auto ok = check_value(value); !ok)
    return ok;
  if (auto ok = check_key_path(path); !ok)
    return ok;
  auto* key = find(path);
  if (key == nullptr)
    return fail("key " + detail::in_quotes(path) + " does not exist");
  put_value(*key, name, std::move(value));
  return {};
}

void db_tree::put_value(key_entry& key, std::string_view name, typed_value value) {
  auto it = key.values.find(name);
  if (it != key.values.end()) {
    count_value(key, it->second, false);
    it->second.value = std::move(value);  // the name keeps the case it was first written in
  } else {
    it =
        key.values.emplace(fold_case(name), named_value{std::string(name), std::move(value)}).first;
  }
  count_value(key, it->second, true);
}

status db_tree::delete_value(std::string_view path, std::string_view name) {
  if (auto ok = check_key_path(path); !ok)
    return ok;
  auto* key = find(path);
  if (key == nullptr)
    return fail("key " + detail::in_quotes(path) + " does not exist");
  const auto it = key->values.find(name);
  if (it == key->values.end()) {
    return fail("key " + detail::in_quotes(path) + " has no value " + detail::in_quotes(name));
  }
  count_value(*key, it->second, false);
  key->values.erase(it);
  return {};
}

nlohmann::json db_tree::to_json() const {
  nlohmann::json keys = nlohmann::json::array();
  // Member by member (as typed_value's to_json): a joiner's snapshot is the whole database.
  walk([&keys](const std::vector<std::string>&, const key_entry& key) {
    auto& entry = keys.emplace_back(nlohmann::json::object()).get_ref<nlohmann::json::object_t&>();
    entry.emplace("path", key.path);
    auto& values = entry.emplace("values", nlohmann::json::object())
                       .first->second.get_ref<nlohmann::json::object_t&>();
    for (const auto& [_, value] : key.values)
      wolfpack::to_json(values[value.name], value.value);
  });
  return nlohmann::json{{"keys", std::move(keys)}};
}

result<db_tree> db_tree::from_json(const nlohmann::json& json) {
  if (!json.is_object())
    return fail("database snapshot must be an object, got " + json_kind(json));
  for (const auto& [field, _] : json.items()) {
    if (field != "keys")
      return fail("database snapshot has unexpected field '" + field + "'");
  }
  const auto keys = json.find("keys");
  if (keys == json.end())
    return fail("database snapshot has no 'keys'");
  if (!keys->is_array()) {
    return fail("database snapshot 'keys' must be an array, got " + json_kind(*keys));
  }
  db_tree tree;
  bool root_seen = false;
  for (std::size_t i = 0; i < keys->size(); ++i) {
    const auto& entry = (*keys)[i];
    std::string where = "snapshot key " + std::to_string(i);
    if (!entry.is_object())
      return fail(where + " must be an object, got " + json_kind(entry));
    for (const auto& [field, _] : entry.items()) {
      if (field != "path" && field != "values") {
        return fail(where + " has unexpected field '" + field + "'");
      }
    }
    const auto path_it = entry.find("path");
    if (path_it == entry.end())
      return fail(where + " has no 'path'");
    if (!path_it->is_string()) {
      return fail(where + " 'path' must be a string, got " + json_kind(*path_it));
    }
    const auto& path = path_it->get_ref<const std::string&>();
    where += " (" + detail::in_quotes(path) + ")";
    auto components = split_key_path(path);
    if (!components)
      return fail(where + ": " + components.error());
    // The key is added, and its values set, with what was checked here: create_key and
    // set_value would split and fold the path again for every value of the snapshot.
    const std::string folded_path = fold_case(path);
    key_entry* key = nullptr;
    if (components->empty()) {
      if (root_seen)
        return fail(where + ": the root key is listed twice");
      root_seen = true;
      key = tree.find(path);
    } else {
      if (tree.key_exists(path))
        return fail(where + ": listed twice (names ignore case)");
      const auto cut = path.rfind(key_separator);
      auto* parent =
          tree.find(std::string_view(path).substr(0, cut == std::string::npos ? 0 : cut));
      if (parent == nullptr)
        return fail(where + ": its parent key is not listed before it");
      key = &tree.add_subkey(*parent, folded_path, components->back());
    }
    const auto values_it = entry.find("values");
    if (values_it == entry.end())
      return fail(where + " has no 'values'");
    if (!values_it->is_object()) {
      return fail(where + " 'values' must be an object, got " + json_kind(*values_it));
    }
    for (const auto& [name, j] : values_it->items()) {
      const auto value_where = [&where, &name] {
        return where + ", value " + detail::in_quotes(name) + ": ";
      };
      if (auto ok = check_value_name(name); !ok)
        return fail(value_where() + ok.error());
      if (key->values.contains(name))
        return fail(value_where() + "listed twice (names ignore case)");
      auto value = parse_typed_value(j);
      if (!value)
        return fail(value_where() + value.error());
      if (auto ok = check_value(*value); !ok)
        return fail(value_where() + ok.error());
      tree.put_value(*key, name, std::move(value).value());
    }
  }
  return tree;
}

std::string db_tree::hash() const {
  detail::sha256 digest;
  // A format tag, so a future change of serialisation cannot collide with this one.
  digest.update_counted("wolfpack-clusdb-hash-v1");
  walk([&digest](const std::vector<std::string>& id, const key_entry& key) {
    digest.update_u8('K');
    digest.update_u64(id.size());
    for (const auto& component : id)
      digest.update_counted(component);
    for (const auto& [folded_name, value] : key.values) {
      digest.update_u8('V');
      digest.update_counted(folded_name);
      const auto& v = value.value;
      digest.update_u8(registry_type(v.type));
      switch (v.type) {
        case value_type::dword:
        case value_type::qword:
          digest.update_u64(v.as_number());
          break;
        case value_type::sz:
        case value_type::expand_sz:
          digest.update_counted(v.as_string());
          break;
        case value_type::multi_sz:
          digest.update_u64(v.as_strings().size());
          for (const auto& s : v.as_strings())
            digest.update_counted(s);
          break;
        case value_type::binary: {
          const auto& bytes = v.as_bytes();
          digest.update_counted(
              std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
          break;
        }
      }
    }
  });
  return digest.finish_hex();
}

}  // namespace wolfpack::cluster
