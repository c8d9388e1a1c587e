#include "file_remover.hpp"

#include <system_error>
#include <utility>

#include "integration_support.hpp"

namespace wolfpack::testing {

namespace fs = std::filesystem;

file_remover::file_remover(fs::path path, std::chrono::milliseconds delay,
                           std::chrono::milliseconds timeout)
    : thread_([this, path = std::move(path), delay, timeout] {
        if (wait_until([&] { return fs::exists(path); }, timeout)) {
          std::this_thread::sleep_for(delay);
          removed_ = fs::remove(path);
        }
      }) {}

file_remover::~file_remover() {
  // A test that threw before join() must not end in std::terminate.
  if (thread_.joinable())
    thread_.join();
}

bool file_remover::join() {
  if (thread_.joinable())
    thread_.join();
  return removed_;
}

}  // namespace wolfpack::testing
