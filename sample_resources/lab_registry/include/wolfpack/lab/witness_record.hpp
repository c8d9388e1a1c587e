#pragma once

// The witness record (resource_api/include/wolfpack/witness_record.h) as the lab's witnesses
// keep it: a file beside the witness, replaced only while its reservation is ours.

#include <cstdint>
#include <filesystem>
#include <functional>

#include "wolfpack/lab/held_reservation.hpp"

namespace wolfpack::lab {

// Answers CLUSCTL_RESOURCE_WP_GET_WITNESS_RECORD and ..._SET_WITNESS_RECORD for a witness
// kept in the file `where` names and held through `held`. False when `code` is neither (the
// caller handles it, and `where` is not called: finding the file may create the disk);
// otherwise `status` is the Win32 result.
bool witness_record_control(const held_reservation& held,
                            const std::function<std::filesystem::path()>& where, std::uint32_t code,
                            const void* in, std::uint32_t in_size, void* out,
                            std::uint32_t out_size, std::uint32_t* returned, std::uint32_t& status);

}  // namespace wolfpack::lab
