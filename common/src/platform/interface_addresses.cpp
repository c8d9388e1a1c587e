#include "wolfpack/common/platform/interface_addresses.hpp"

#ifdef __linux__
#include <arpa/inet.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#endif

namespace wolfpack::platform {

#ifdef __linux__
namespace {

// One RTM_NEWADDR / RTM_DELADDR request: the header, the address message, and the local and
// peer address attributes (both the same for a broadcast interface, as iproute2 sends them).
struct address_request {
  nlmsghdr header;
  ifaddrmsg message;
  char attributes[64];
};

void add_attribute(address_request& r, unsigned short type, const void* data, std::size_t size) {
  auto* attr =
      reinterpret_cast<rtattr*>(reinterpret_cast<char*>(&r) + NLMSG_ALIGN(r.header.nlmsg_len));
  attr->rta_type = type;
  attr->rta_len = static_cast<unsigned short>(RTA_LENGTH(size));
  std::memcpy(RTA_DATA(attr), data, size);
  r.header.nlmsg_len = NLMSG_ALIGN(r.header.nlmsg_len) + RTA_ALIGN(attr->rta_len);
}

std::error_code errno_code(int e) {
  return std::error_code(e, std::generic_category());
}

// Sends the request and reads the kernel's acknowledgement: its error (0 for success).
std::error_code change_address(int type, int flags, const std::string& if_name,
                               const std::string& address, unsigned prefix_length) {
  in_addr ip{};
  if (::inet_pton(AF_INET, address.c_str(), &ip) != 1 || prefix_length > 32)
    return std::make_error_code(std::errc::invalid_argument);
  const unsigned index = ::if_nametoindex(if_name.c_str());
  if (index == 0)
    return std::make_error_code(std::errc::no_such_device);

  address_request r{};
  r.header.nlmsg_len = NLMSG_LENGTH(sizeof(ifaddrmsg));
  r.header.nlmsg_type = static_cast<unsigned short>(type);
  r.header.nlmsg_flags = static_cast<unsigned short>(NLM_F_REQUEST | NLM_F_ACK | flags);
  r.header.nlmsg_seq = 1;
  r.message.ifa_family = AF_INET;
  r.message.ifa_prefixlen = static_cast<unsigned char>(prefix_length);
  r.message.ifa_scope = RT_SCOPE_UNIVERSE;
  r.message.ifa_index = index;
  add_attribute(r, IFA_LOCAL, &ip, sizeof ip);
  add_attribute(r, IFA_ADDRESS, &ip, sizeof ip);

  const int fd = ::socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
  if (fd < 0)
    return errno_code(errno);
  sockaddr_nl kernel{};
  kernel.nl_family = AF_NETLINK;
  std::error_code result;
  if (::sendto(fd, &r, r.header.nlmsg_len, 0, reinterpret_cast<sockaddr*>(&kernel), sizeof kernel) <
      0) {
    result = errno_code(errno);
  } else {
    char reply[4096];
    ssize_t n;
    do {
      n = ::recv(fd, reply, sizeof reply, 0);
    } while (n < 0 && errno == EINTR);
    if (n < 0) {
      result = errno_code(errno);
    } else {
      const auto* h = reinterpret_cast<const nlmsghdr*>(reply);
      if (!NLMSG_OK(h, static_cast<unsigned>(n)) || h->nlmsg_type != NLMSG_ERROR)
        result = std::make_error_code(std::errc::protocol_error);
      else if (const int e = static_cast<const nlmsgerr*>(NLMSG_DATA(h))->error; e != 0)
        result = errno_code(-e);
    }
  }
  ::close(fd);
  return result;
}

}  // namespace

std::error_code add_interface_address(const std::string& if_name, const std::string& address,
                                      unsigned prefix_length) {
  return change_address(RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL, if_name, address, prefix_length);
}

std::error_code remove_interface_address(const std::string& if_name, const std::string& address,
                                         unsigned prefix_length) {
  return change_address(RTM_DELADDR, 0, if_name, address, prefix_length);
}

bool interface_addresses_supported() {
  return true;
}

#else

std::error_code add_interface_address(const std::string&, const std::string&, unsigned) {
  return std::make_error_code(std::errc::not_supported);
}

std::error_code remove_interface_address(const std::string&, const std::string&, unsigned) {
  return std::make_error_code(std::errc::not_supported);
}

bool interface_addresses_supported() {
  return false;
}

#endif

}  // namespace wolfpack::platform
