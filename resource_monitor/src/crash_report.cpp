#include "crash_report.hpp"

#include <algorithm>
#include <csignal>
#include <cstdlib>
#include <cstring>

#include <wolfpack/common/platform/system.hpp>

namespace wolfpack::monitor {

namespace {

thread_local const char* current_entry = nullptr;
thread_local char current_resource[256];

crash_mode mode_ = crash_mode::monitor;

void write_str(int fd, const char* s) {
  platform::write_fully(fd, s, std::strlen(s));
}

void write_int(int fd, int v) {
  char buf[16];
  int i = 15;
  buf[i] = '\0';
  bool neg = v < 0;
  unsigned u = neg ? 0u - static_cast<unsigned>(v) : static_cast<unsigned>(v);
  do {
    buf[--i] = static_cast<char>('0' + u % 10);
    u /= 10;
  } while (u != 0 && i > 1);
  if (neg)
    buf[--i] = '-';
  write_str(fd, buf + i);
}

char line_buf[1024];
std::size_t line_len = 0;

void line_str(const char* s) {
  for (; *s != '\0' && line_len < sizeof(line_buf) - 2; ++s)
    line_buf[line_len++] = *s;
}

void line_int(int v) {
  char buf[16];
  int i = 15;
  buf[i] = '\0';
  unsigned u = v < 0 ? 0u - static_cast<unsigned>(v) : static_cast<unsigned>(v);
  do {
    buf[--i] = static_cast<char>('0' + u % 10);
    u /= 10;
  } while (u != 0 && i > 1);
  if (v < 0)
    buf[--i] = '-';
  line_str(buf + i);
}

void line_json_string(const char* s) {
  line_str("\"");
  for (; *s != '\0'; ++s) {
    const char c = *s;
    if (c == '"' || c == '\\') {
      const char esc[3] = {'\\', c, '\0'};
      line_str(esc);
    } else if (static_cast<unsigned char>(c) < 0x20) {
      line_str("?");
    } else {
      const char one[2] = {c, '\0'};
      line_str(one);
    }
  }
  line_str("\"");
}

extern "C" void on_fatal_signal(int sig) {
  const char* entry = current_entry != nullptr ? current_entry : "(none)";
  const char* resource = current_entry != nullptr ? current_resource : "";
  write_str(2, "resrcmon: fatal signal ");
  write_int(2, sig);
  write_str(2, " during ");
  write_str(2, entry);
  if (resource[0] != '\0') {
    write_str(2, " of resource ");
    write_str(2, resource);
  }
  write_str(2, "\n");
  if (mode_ == crash_mode::harness) {
    // Built whole, then written with one write(): it must not land inside another line.
    line_len = 0;
    line_str("{\"type\":\"crash\",\"signal\":");
    line_int(sig);
    line_str(",\"entry\":");
    line_json_string(entry);
    line_str(",\"resource\":");
    line_json_string(resource);
    line_str(",\"exec\":\"crashed\"}\n");
    platform::write_fully(1, line_buf, line_len);
    std::_Exit(1);
  }
  std::signal(sig, SIG_DFL);
  std::raise(sig);
}

}  // namespace

void install_crash_handler(crash_mode mode) {
  mode_ = mode;
  // SIGBUS where the system has one (not Windows): a feature test, not a platform branch.
  for (int sig : {SIGSEGV, SIGILL, SIGFPE, SIGABRT
#ifdef SIGBUS
                  ,
                  SIGBUS
#endif
       }) {
    std::signal(sig, on_fatal_signal);
  }
}

crash_context_scope::crash_context_scope(entry_point entry, const std::string& resource) {
  current_entry = to_string(entry).data();
  const std::size_t n = std::min(resource.size(), sizeof(current_resource) - 1);
  std::memcpy(current_resource, resource.data(), n);
  current_resource[n] = '\0';
}

crash_context_scope::~crash_context_scope() {
  current_entry = nullptr;
}

}  // namespace wolfpack::monitor
