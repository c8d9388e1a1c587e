#pragma once

#include <filesystem>
#include <string_view>

#include "wolfpack/common/endpoint.hpp"

namespace wolfpack::platform {

// Where a parent listens for the child processes it starts on this machine (clussvc for its
// resrcmon processes):
//   POSIX:   the Unix domain socket `dir`/`name`, which only this user's processes can reach;
//   Windows: TCP on 127.0.0.1 with port 0, since Asio has no Unix domain sockets there. The
//            system picks the port: pass the endpoint to listen_on, then give the children
//            local_endpoint_of(acceptor), which names the port.
endpoint local_listen_endpoint(const std::filesystem::path& dir, std::string_view name);

}  // namespace wolfpack::platform
