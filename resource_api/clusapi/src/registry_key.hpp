// A key of the cluster database reached through a node's API (/registry, docs/api.md): what
// GetClusterKey and the other Get*Key functions hand out, read and written with the
// ClusterReg* functions. Every call goes to the node: a read sees the database as it is
// now, a write is a global update the node may refuse (registry_policy).
#pragma once

#include <memory>
#include <string>

#include "connection.hpp"
#include "wolfpack/remote_registry.hpp"

namespace wolfpack::clusapi {

class registry_key : public remote_registry_key {
 public:
  // `path`: UTF-8, relative to the root of the cluster database ("" is the root).
  registry_key(std::shared_ptr<connection> conn, std::string path);

  LONG read(remote_key_listing& out) override;
  LONG open(std::wstring_view subkey, bool create, std::shared_ptr<remote_registry_key>& out,
            bool* created) override;
  LONG delete_subkey(std::wstring_view subkey) override;
  LONG set_value(std::wstring_view name, const reg_value& value) override;
  LONG delete_value(std::wstring_view name) override;

  const std::shared_ptr<connection>& conn() const { return conn_; }
  const std::string& path() const { return path_; }

 private:
  std::string below(std::wstring_view subkey) const;
  std::string query(std::string_view key) const;

  std::shared_ptr<connection> conn_;
  std::string path_;
};

}  // namespace wolfpack::clusapi
