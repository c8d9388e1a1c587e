#include "wolfpack/common/platform/net_interfaces.hpp"

#include <cstdint>
#include <cstring>
#include <vector>

#ifdef _WIN32
#include <windows.h>
#include <winsock2.h>
#include <ws2tcpip.h>

#include <iphlpapi.h>
#else
#include <arpa/inet.h>
#include <ifaddrs.h>
#include <netinet/in.h>
#include <sys/socket.h>
#endif

namespace wolfpack::platform {

namespace {

std::string text_of(int family, const void* bytes) {
  char text[INET6_ADDRSTRLEN] = {};
  if (::inet_ntop(family, bytes, text, sizeof text) == nullptr)
    return {};
  return text;
}

// The address's subnet given the prefix length, as text, with the mask's text.
void fill_subnet(int family, const void* address, unsigned prefix, adapter_address& out) {
  const std::size_t size = family == AF_INET ? 4 : 16;
  std::uint8_t net[16] = {};
  std::uint8_t mask[16] = {};
  std::memcpy(net, address, size);
  for (std::size_t k = 0; k < size; ++k) {
    const unsigned bits = prefix >= 8 * (k + 1) ? 8 : (prefix > 8 * k ? prefix - 8 * k : 0);
    mask[k] = static_cast<std::uint8_t>(bits == 0 ? 0 : (0xFF << (8 - bits)) & 0xFF);
    net[k] = static_cast<std::uint8_t>(net[k] & mask[k]);
  }
  out.network = text_of(family, net);
  out.mask = family == AF_INET ? text_of(family, mask) : std::to_string(prefix);
}

#ifndef _WIN32
unsigned prefix_of(const std::uint8_t* mask, std::size_t size) {
  unsigned n = 0;
  for (std::size_t k = 0; k < size; ++k) {
    for (int b = 7; b >= 0; --b) {
      if ((mask[k] >> b) & 1)
        ++n;
    }
  }
  return n;
}
#endif

}  // namespace

std::optional<adapter_address> find_adapter(std::string_view ip) {
  const std::string wanted(ip);
  in6_addr v6{};
  in_addr v4{};
  int family = 0;
  if (::inet_pton(AF_INET, wanted.c_str(), &v4) == 1)
    family = AF_INET;
  else if (::inet_pton(AF_INET6, wanted.c_str(), &v6) == 1)
    family = AF_INET6;
  else
    return std::nullopt;
  const void* bytes = family == AF_INET ? static_cast<const void*>(&v4) : &v6;
  const std::size_t size = family == AF_INET ? 4 : 16;
  // The wildcard address is on every adapter and on none.
  static const std::uint8_t zero[16] = {};
  if (std::memcmp(bytes, zero, size) == 0)
    return std::nullopt;

#ifdef _WIN32
  ULONG length = 16 * 1024;
  std::vector<std::uint8_t> buffer;
  ULONG rc = ERROR_BUFFER_OVERFLOW;
  for (int attempt = 0; attempt < 3 && rc == ERROR_BUFFER_OVERFLOW; ++attempt) {
    buffer.resize(length);
    rc = ::GetAdaptersAddresses(
        static_cast<ULONG>(family),
        GAA_FLAG_SKIP_ANYCAST | GAA_FLAG_SKIP_MULTICAST | GAA_FLAG_SKIP_DNS_SERVER, nullptr,
        reinterpret_cast<IP_ADAPTER_ADDRESSES*>(buffer.data()), &length);
  }
  if (rc != NO_ERROR)
    return std::nullopt;
  for (auto* a = reinterpret_cast<IP_ADAPTER_ADDRESSES*>(buffer.data()); a != nullptr;
       a = a->Next) {
    for (auto* u = a->FirstUnicastAddress; u != nullptr; u = u->Next) {
      const auto* sa = u->Address.lpSockaddr;
      if (sa == nullptr || sa->sa_family != family)
        continue;
      const void* held =
          family == AF_INET
              ? static_cast<const void*>(&reinterpret_cast<const sockaddr_in*>(sa)->sin_addr)
              : &reinterpret_cast<const sockaddr_in6*>(sa)->sin6_addr;
      if (std::memcmp(held, bytes, size) != 0)
        continue;
      adapter_address out;
      const int n =
          ::WideCharToMultiByte(CP_UTF8, 0, a->FriendlyName, -1, nullptr, 0, nullptr, nullptr);
      if (n > 1) {
        out.adapter.resize(static_cast<std::size_t>(n - 1));
        ::WideCharToMultiByte(CP_UTF8, 0, a->FriendlyName, -1, out.adapter.data(), n, nullptr,
                              nullptr);
      }
      out.address = text_of(family, held);
      fill_subnet(family, held, u->OnLinkPrefixLength, out);
      return out;
    }
  }
  return std::nullopt;
#else
  ifaddrs* list = nullptr;
  if (::getifaddrs(&list) != 0)
    return std::nullopt;
  std::optional<adapter_address> found;
  for (auto* a = list; a != nullptr && !found; a = a->ifa_next) {
    if (a->ifa_addr == nullptr || a->ifa_addr->sa_family != family || a->ifa_netmask == nullptr)
      continue;
    const void* held =
        family == AF_INET
            ? static_cast<const void*>(&reinterpret_cast<const sockaddr_in*>(a->ifa_addr)->sin_addr)
            : &reinterpret_cast<const sockaddr_in6*>(a->ifa_addr)->sin6_addr;
    if (std::memcmp(held, bytes, size) != 0)
      continue;
    const void* mask = family == AF_INET
                           ? static_cast<const void*>(
                                 &reinterpret_cast<const sockaddr_in*>(a->ifa_netmask)->sin_addr)
                           : &reinterpret_cast<const sockaddr_in6*>(a->ifa_netmask)->sin6_addr;
    adapter_address out;
    out.adapter = a->ifa_name != nullptr ? a->ifa_name : "";
    out.address = text_of(family, held);
    fill_subnet(family, held, prefix_of(static_cast<const std::uint8_t*>(mask), size), out);
    found = std::move(out);
  }
  ::freeifaddrs(list);
  return found;
#endif
}

}  // namespace wolfpack::platform
