#pragma once

// File Share, simulated: Online records ShareName -> Path in the lab's share registry
// (<lab dir>/shares/<SHARENAME>; share names are unique in the cluster, case-insensitively)
// and writes a marker file into Path through lab::write_guarded, so that a share whose Path
// lies on a lab disk this node does not hold the reservation of cannot come online. IsAlive
// checks the record, that Path exists, and that the disk (if any) is still this node's.

#include <filesystem>
#include <mutex>
#include <optional>
#include <string>

#include <wolfpack/lab/claim_registry.hpp>
#include <wolfpack/plugin.hpp>

namespace wolfpack::lab_types {

struct file_share_params {
  std::wstring share_name;        // ShareName (SZ, required): unique in the cluster
  std::wstring path;              // Path (SZ, required): an absolute directory
  std::wstring remark;            // Remark (SZ)
  DWORD max_users = 0xFFFFFFFFu;  // MaxUsers (DWORD): 0xFFFFFFFF = unlimited
};

class file_share : public plugin::resource<file_share_params> {
 public:
  static plugin::property_table<file_share_params> properties();
  static plugin::outcome validate_parameters(const file_share_params& merged);
  // The share's files live on a disk: it needs a storage-class provider (Physical Disk).
  static void required_dependencies(value_list_builder& list) {
    list.add_dword(CLUS_RESCLASS_STORAGE, CLUSPROP_SYNTAX_RESCLASS);
  }

  plugin::result online() override;
  plugin::result offline() override;
  bool looks_alive() override;
  bool is_alive() override;
  void terminate() override;

 private:
  void unshare();

  mutable std::mutex mutex_;
  std::optional<lab::claim> claim_;  // guarded by mutex_
  std::filesystem::path marker_;     // guarded by mutex_
};

}  // namespace wolfpack::lab_types
