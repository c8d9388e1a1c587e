#include "notify_port.hpp"

#include <algorithm>
#include <thread>

#include "support.hpp"
#include "wolfpack/clusapi.h"
#include "wolfpack/cluster_cli/api_paths.hpp"
#include "wolfpack/winerror.h"

namespace wolfpack::clusapi {
namespace {

using namespace std::chrono_literals;
using clock = std::chrono::steady_clock;

// How long a waiting GetClusterNotify reads the stream before it looks at the queue and at
// whether the port was closed again.
constexpr auto slice = 50ms;
// Events read at most by one zero-time look (GetClusterNotify with a timeout of 0).
constexpr std::size_t max_ready_reads = 256;

// Whether a registry event on `changed` concerns a registration on `key` (paths of the
// cluster database, compared without case), and its name relative to `key` if so: the key
// itself, a subkey of it made or deleted (REGISTRY_NAME), or, with REGISTRY_SUBTREE in
// `wanted`, anything below it.
std::optional<std::string> registry_relative(const std::string& key, const std::string& changed,
                                             std::uint64_t filter, DWORD wanted) {
  std::string relative;
  if (key.empty()) {
    relative = changed;
  } else if (changed.size() == key.size() && cluster_cli::same_name(changed, key)) {
    return std::string();
  } else if (changed.size() > key.size() + 1 && changed[key.size()] == '\\' &&
             cluster_cli::same_name(changed.substr(0, key.size()), key)) {
    relative = changed.substr(key.size() + 1);
  } else {
    return std::nullopt;
  }
  if (relative.empty())
    return relative;
  const bool child = relative.find('\\') == std::string::npos;
  if ((wanted & CLUSTER_CHANGE_REGISTRY_SUBTREE) != 0 ||
      (child && filter == CLUSTER_CHANGE_REGISTRY_NAME))
    return relative;
  return std::nullopt;
}

struct port_registry {
  std::mutex mutex;
  std::vector<std::weak_ptr<notify_port>> ports;  // guarded by mutex
};

port_registry& registry() {
  static auto* const instance = new port_registry;  // never destroyed, as the handle table
  return *instance;
}

std::string_view word_of(handle_kind kind) {
  switch (kind) {
    case handle_kind::node:
      return "node";
    case handle_kind::group:
      return "group";
    case handle_kind::network:
      return "network";
    case handle_kind::netinterface:
      return "netinterface";
    default:
      return "resource";
  }
}

}  // namespace

void register_port(const std::shared_ptr<notify_port>& port) {
  auto& r = registry();
  std::lock_guard lock(r.mutex);
  std::erase_if(r.ports, [](const auto& p) { return p.expired(); });
  r.ports.push_back(port);
}

void notify_handle_closed(const void* handle, const std::string& name) {
  std::vector<std::shared_ptr<notify_port>> live;
  {
    auto& r = registry();
    std::lock_guard lock(r.mutex);
    for (const auto& p : r.ports) {
      if (auto port = p.lock())
        live.push_back(std::move(port));
    }
  }
  for (const auto& port : live)
    port->handle_closed(handle, name);
}

DWORD notify_port::attach(const std::shared_ptr<connection>& conn) {
  {
    std::lock_guard lock(mutex_);
    if (!address_.empty())
      return address_ == conn->address() ? ERROR_SUCCESS : ERROR_INVALID_PARAMETER;
  }
  auto ep = to_endpoint(conn->address());
  if (!ep)
    return ERROR_INVALID_PARAMETER;
  auto stream =
      http::event_stream::open(*ep, std::nullopt, std::chrono::seconds(5), conn->api_key());
  if (!stream)
    return RPC_S_SERVER_UNAVAILABLE;
  const auto cluster = conn->request("GET", "/cluster");
  std::lock_guard read(reader_);
  std::lock_guard lock(mutex_);
  if (!address_.empty())  // another thread attached meanwhile
    return address_ == conn->address() ? ERROR_SUCCESS : ERROR_INVALID_PARAMETER;
  address_ = conn->address();
  cluster_name_ = cluster.ok() ? cluster.body.value("name", std::string()) : std::string();
  stream_.emplace(std::move(stream).value());
  return ERROR_SUCCESS;
}

void notify_port::add_cluster_filter(DWORD filter, DWORD_PTR key) {
  std::lock_guard lock(mutex_);
  registrations_.push_back({filter, key, nullptr, {}, {}, std::nullopt});
}

void notify_port::add_object_filter(DWORD filter, DWORD_PTR key, const void* handle,
                                    const std::shared_ptr<object_handle>& object) {
  std::lock_guard lock(mutex_);
  registrations_.push_back(
      {filter, key, handle, object, std::string(word_of(object->kind)), std::nullopt});
}

void notify_port::add_registry_filter(DWORD filter, DWORD_PTR key, const void* handle,
                                      std::string path) {
  std::lock_guard lock(mutex_);
  registrations_.push_back({filter, key, handle, {}, "registry", std::move(path)});
}

void notify_port::handle_closed(const void* handle, const std::string& name) {
  std::lock_guard lock(mutex_);
  for (auto it = registrations_.begin(); it != registrations_.end();) {
    if (it->handle != handle) {
      ++it;
      continue;
    }
    if ((it->filter & CLUSTER_CHANGE_HANDLE_CLOSE) != 0)
      queue_.push_back({it->key, CLUSTER_CHANGE_HANDLE_CLOSE, from_utf8(name)});
    it = registrations_.erase(it);
  }
}

std::optional<notification> notify_port::match(const nlohmann::json& event) const {
  if (!event.is_object() || !event.contains("filter") || !event["filter"].is_number_unsigned())
    return std::nullopt;
  const auto filter = event["filter"].get<std::uint64_t>();
  if (filter == 0 || filter > 0xFFFFFFFFu)
    return std::nullopt;
  const std::string name = event.value("name", std::string());
  const std::string id = event.value("id", std::string());
  const std::string word = event.value("object", std::string());
  for (const auto& r : registrations_) {
    if ((r.filter & filter) == 0)
      continue;
    if (r.registry) {
      if (word != "registry")
        continue;
      if (auto relative = registry_relative(*r.registry, name, filter, r.filter))
        return notification{r.key, static_cast<DWORD>(filter), from_utf8(*relative)};
      continue;
    }
    if (r.handle != nullptr) {
      const auto object = r.object.lock();
      if (!object)
        continue;
      // By id when both sides know it: the handle may predate a rename.
      const bool same = !id.empty() && !object->id.empty()
                            ? cluster_cli::same_name(id, object->id)
                            : cluster_cli::same_name(name, object->name());
      if (word != r.word || !same)
        continue;
    }
    return notification{r.key, static_cast<DWORD>(filter), from_utf8(name)};
  }
  return std::nullopt;
}

bool notify_port::pump(std::chrono::milliseconds wait) {
  if (!stream_) {
    std::this_thread::sleep_for(wait);  // nothing to read: a HANDLE_CLOSE or a close may come
    return false;
  }
  auto event = stream_->next(wait);
  std::lock_guard lock(mutex_);
  if (event) {
    if (auto n = match(*event))
      queue_.push_back(std::move(*n));
    return true;
  }
  if (stream_->is_open())
    return false;
  // The node stopped answering: CLUSTER_STATE, once, to whoever asked for it.
  stream_.reset();
  for (const auto& r : registrations_) {
    if (r.handle == nullptr && (r.filter & CLUSTER_CHANGE_CLUSTER_STATE) != 0) {
      queue_.push_back({r.key, CLUSTER_CHANGE_CLUSTER_STATE, from_utf8(cluster_name_)});
      break;
    }
  }
  return false;
}

DWORD notify_port::next(std::optional<std::chrono::milliseconds> timeout, DWORD_PTR* key,
                        LPDWORD filter, LPWSTR name, LPDWORD cch) {
  const auto deadline = timeout ? std::optional(clock::now() + *timeout) : std::nullopt;
  bool looked = false;
  for (;;) {
    {
      std::lock_guard lock(mutex_);
      if (closed_)
        return ERROR_INVALID_HANDLE;
      if (!queue_.empty()) {
        const auto& n = queue_.front();
        *key = n.key;
        *filter = n.filter;
        const DWORD copied = copy_name(n.name, name, cch);
        if (copied == ERROR_SUCCESS)
          queue_.pop_front();
        return copied;
      }
    }
    const auto now = clock::now();
    if (deadline && now >= *deadline) {
      if (looked)
        return WAIT_TIMEOUT;
      // Even a zero timeout takes what has already reached the client: a client that polls
      // with 0 must see events, not only those an earlier wait happened to read.
      looked = true;
      std::unique_lock read(reader_, std::try_to_lock);
      for (std::size_t i = 0; read.owns_lock() && i < max_ready_reads && pump({}); ++i) {
      }
      continue;
    }
    auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(slice);
    if (deadline)
      wait = std::min(wait, std::chrono::duration_cast<std::chrono::milliseconds>(*deadline - now));
    // Another thread reading the stream queues for both of us; wait for it a slice at most.
    std::unique_lock read(reader_, std::defer_lock);
    if (read.try_lock_for(wait))
      pump(wait);
  }
}

void notify_port::close() {
  std::lock_guard lock(mutex_);
  closed_ = true;
  queue_.clear();
  registrations_.clear();
}

}  // namespace wolfpack::clusapi
