#include "wolfpack/common/platform/local_endpoint.hpp"

namespace wolfpack::platform {

endpoint local_listen_endpoint([[maybe_unused]] const std::filesystem::path& dir,
                               [[maybe_unused]] std::string_view name) {
#ifdef _WIN32
  return endpoint::tcp("127.0.0.1", 0);
#else
  return endpoint::unix_socket((dir / name).string());
#endif
}

}  // namespace wolfpack::platform
