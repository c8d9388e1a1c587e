#include "wolfpack/lab/witness_record.hpp"

#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <system_error>

#include "wolfpack/winerror.h"
#include "wolfpack/witness_record.h"

namespace wolfpack::lab {

namespace fs = std::filesystem;

namespace {

bool read_file(const fs::path& file, std::string& data) {
  std::error_code ec;
  if (!fs::exists(file, ec)) {
    data.clear();
    return !ec;
  }
  std::ifstream in(file, std::ios::binary);
  if (!in)
    return false;
  data.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  return !in.bad();
}

// Write-then-rename: a reader never sees half a record.
bool write_file(const fs::path& file, const char* data, std::size_t size) {
  const fs::path tmp = file.string() + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out.write(data, static_cast<std::streamsize>(size));
    out.flush();
    if (!out)
      return false;
  }
  std::error_code ec;
  fs::rename(tmp, file, ec);
  return !ec;
}

}  // namespace

bool witness_record_control(const held_reservation& held, const std::function<fs::path()>& where,
                            std::uint32_t code, const void* in, std::uint32_t in_size, void* out,
                            std::uint32_t out_size, std::uint32_t* returned,
                            std::uint32_t& status) {
  if (code != CLUSCTL_RESOURCE_WP_GET_WITNESS_RECORD &&
      code != CLUSCTL_RESOURCE_WP_SET_WITNESS_RECORD)
    return false;
  const fs::path file = where();
  if (code == CLUSCTL_RESOURCE_WP_GET_WITNESS_RECORD) {
    std::string data;
    if (!read_file(file, data)) {
      status = ERROR_READ_FAULT;
      return true;
    }
    if (returned != nullptr)
      *returned = static_cast<std::uint32_t>(data.size());
    if (data.size() > out_size || (out == nullptr && !data.empty())) {
      status = ERROR_MORE_DATA;
      return true;
    }
    if (!data.empty())
      std::memcpy(out, data.data(), data.size());
    status = ERROR_SUCCESS;
    return true;
  }
  if (code == CLUSCTL_RESOURCE_WP_SET_WITNESS_RECORD) {
    if (returned != nullptr)
      *returned = 0;
    if ((in == nullptr && in_size != 0) || in_size > WP_WITNESS_RECORD_MAX) {
      status = ERROR_INVALID_PARAMETER;
      return true;
    }
    bool written = false;
    const bool ours =
        held.while_held([&] { written = write_file(file, static_cast<const char*>(in), in_size); });
    status = !ours ? ERROR_SHARING_VIOLATION : written ? ERROR_SUCCESS : ERROR_WRITE_FAULT;
    return true;
  }
  return false;
}

}  // namespace wolfpack::lab
