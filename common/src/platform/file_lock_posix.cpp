// The lock on POSIX: flock(2) on a descriptor of our own; see file_lock.hpp.

#include "wolfpack/common/platform/file_lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

namespace wolfpack::platform {

namespace fs = std::filesystem;

namespace {

result<int> open_lock_file(const fs::path& path) {
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0)
    return fail("cannot open " + path.string() + ": " + std::strerror(errno));
  return fd;
}

}  // namespace

result<std::optional<file_lock>> file_lock::try_acquire(const fs::path& path) {
  const auto fd = open_lock_file(path);
  if (!fd)
    return fail(fd.error());
  if (::flock(*fd, LOCK_EX | LOCK_NB) != 0) {
    const int err = errno;
    ::close(*fd);
    if (err == EWOULDBLOCK || err == EINTR)
      return std::optional<file_lock>();
    return fail("cannot lock " + path.string() + ": " + std::strerror(err));
  }
  return std::optional<file_lock>(file_lock(*fd));
}

void file_lock::unlock() noexcept {
  if (handle_ >= 0)
    ::close(static_cast<int>(handle_));  // closing the only descriptor drops the flock
  handle_ = -1;
}

std::string file_lock::read_all() const {
  const int fd = static_cast<int>(handle_);
  std::string text;
  char buf[4096];
  off_t offset = 0;
  for (;;) {
    const ssize_t n = ::pread(fd, buf, sizeof buf, offset);
    if (n <= 0)
      break;
    text.append(buf, static_cast<std::size_t>(n));
    offset += n;
  }
  return text;
}

status file_lock::write_all(const std::string& text) const {
  const int fd = static_cast<int>(handle_);
  if (::ftruncate(fd, 0) != 0)
    return fail(std::string("cannot truncate a locked file: ") + std::strerror(errno));
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n =
        ::pwrite(fd, text.data() + done, text.size() - done, static_cast<off_t>(done));
    if (n <= 0)
      return fail(std::string("cannot write a locked file: ") + std::strerror(errno));
    done += static_cast<std::size_t>(n);
  }
  return {};
}

bool file_lock::still_at(const fs::path& path) const {
  struct stat held {};
  struct stat named {};
  if (handle_ < 0 || ::fstat(static_cast<int>(handle_), &held) != 0 ||
      ::stat(path.c_str(), &named) != 0)
    return false;
  return held.st_dev == named.st_dev && held.st_ino == named.st_ino;
}

}  // namespace wolfpack::platform
