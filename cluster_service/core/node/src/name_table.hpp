// Names of one kind of object (ignoring case, as MSCS compares them) and the ids that bear
// them. A damaged database can give two objects one name; the name then belongs to the one
// whose id sorts last ignoring case, which is the one a walk of the database in key order
// meets last, so the table answers the same whether it was filled at once or object by object.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "wolfpack/cluster_db/db_path.hpp"
#include "wolfpack/cluster_db/folded_key.hpp"

namespace wolfpack::cluster {

class name_table {
 public:
  void add(std::string_view name, const std::string& id) {
    names_[fold_case(name)][fold_case(id)] = id;
  }

  void remove(std::string_view name, const std::string& id) {
    auto it = names_.find(name);
    if (it == names_.end())
      return;
    it->second.erase(fold_case(id));
    if (it->second.empty())
      names_.erase(it);
  }

  // The id that bears the name, or nullptr.
  const std::string* find(std::string_view name) const {
    const auto it = names_.find(name);
    return it == names_.end() ? nullptr : &it->second.rbegin()->second;
  }

  // f(id) for each name's bearer, in name order (ignoring case).
  template <typename F>
  void for_each(F&& f) const {
    for (const auto& [_, ids] : names_)
      f(ids.rbegin()->second);
  }

  std::size_t size() const { return names_.size(); }
  void clear() { names_.clear(); }

 private:
  // folded name -> folded id -> id as written
  std::map<std::string, std::map<std::string, std::string>, folded_less> names_;
};

}  // namespace wolfpack::cluster
