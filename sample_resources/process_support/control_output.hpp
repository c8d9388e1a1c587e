#pragma once

// The Win32 output-buffer convention of ResourceControl, for the control codes the sample
// types answer themselves: the size needed in *returned, ERROR_MORE_DATA when the buffer is
// missing or small.

#include <cstdint>
#include <cstring>
#include <vector>

#include <wolfpack/resapi.h>

namespace wolfpack::samples {

inline DWORD copy_control_output(const std::vector<std::uint8_t>& bytes, void* out, DWORD out_size,
                                 DWORD* returned) {
  const auto size = static_cast<DWORD>(bytes.size());
  if (returned != nullptr)
    *returned = size;
  if (out == nullptr || out_size < size)
    return ERROR_MORE_DATA;
  if (size > 0)
    std::memcpy(out, bytes.data(), size);
  return ERROR_SUCCESS;
}

}  // namespace wolfpack::samples
