#include "wolfpack/cluster_cli/command_line.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>

namespace wolfpack::cluster_cli {
namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// cluster.exe's bracket notation: `res[ource]` accepts "res", "reso", ..., "resource".
// `token` must be lower case.
bool abbreviates(std::string_view token, std::string_view shortest, std::string_view full) {
  return token.size() >= shortest.size() && token.size() <= full.size() &&
         full.substr(0, token.size()) == token;
}

// ---------------------------------------------------------------------------------------------
// Object keywords

struct keyword_spec {
  std::string_view shortest;
  std::string_view full;
  std::optional<object_kind> kind;  // nullopt: a cluster.exe object Wolfpack does not have
};

constexpr std::array keywords{
    keyword_spec{"node", "node", object_kind::node},
    keyword_spec{"group", "group", object_kind::group},
    keyword_spec{"res", "resource", object_kind::resource},
    keyword_spec{"restype", "restype", object_kind::resource_type},
    keyword_spec{"resourcetype", "resourcetype", object_kind::resource_type},
    keyword_spec{"net", "network", object_kind::network},
    keyword_spec{"netint", "netinterface", object_kind::netinterface},
};

const keyword_spec* find_keyword(std::string_view token) {
  const std::string t = lower(token);
  for (const auto& k : keywords) {
    if (abbreviates(t, k.shortest, k.full))
      return &k;
  }
  return nullptr;
}

// ---------------------------------------------------------------------------------------------
// Options

enum class modifier {
  cluster,
  json,
  group,
  type,
  separate,
  dll,
  is_alive,
  looks_alive,
  node,
  network,
  wait,
  use_default,
  node_majority,
};

struct option_spec {
  std::string_view shortest;
  std::string_view full;
  std::optional<verb> action;   // set for command options
  std::optional<modifier> mod;  // set for modifiers
  // Set for cluster.exe options Wolfpack does not have: why, for the error message.
  std::string_view unsupported;
};

constexpr option_spec verb_option(std::string_view s, std::string_view f, verb v) {
  return option_spec{s, f, v, std::nullopt, {}};
}
constexpr option_spec modifier_option(std::string_view s, std::string_view f, modifier m) {
  return option_spec{s, f, std::nullopt, m, {}};
}
constexpr option_spec unsupported_option(std::string_view s, std::string_view f,
                                         std::string_view why) {
  return option_spec{s, f, std::nullopt, std::nullopt, why};
}

// Exact matches are tried first, so "/list" is never taken for an abbreviation of something
// longer, and "/type" never for "/typ...".
constexpr std::array options{
    verb_option("stat", "status", verb::status),
    verb_option("list", "list", verb::list),
    verb_option("create", "create", verb::create),
    verb_option("delete", "delete", verb::remove),
    verb_option("ren", "rename", verb::rename),
    verb_option("on", "online", verb::online),
    verb_option("off", "offline", verb::offline),
    verb_option("fail", "fail", verb::fail),
    verb_option("move", "moveto", verb::move),
    verb_option("prop", "properties", verb::properties),
    verb_option("priv", "privproperties", verb::private_properties),
    verb_option("adddep", "adddependency", verb::add_dependency),
    verb_option("removedep", "removedependency", verb::remove_dependency),
    verb_option("listdep", "listdependencies", verb::list_dependencies),
    verb_option("listowners", "listowners", verb::list_owners),
    verb_option("setowners", "setowners", verb::set_owners),
    verb_option("addowner", "addowner", verb::add_owner),
    verb_option("removeowner", "removeowner", verb::remove_owner),
    verb_option("maint", "maintenancemode", verb::maintenance),
    verb_option("pause", "pause", verb::pause),
    verb_option("stop", "stop", verb::stop),
    verb_option("start", "start", verb::start),
    verb_option("resume", "resume", verb::resume),
    verb_option("evict", "evict", verb::evict),
    verb_option("forcecleanup", "forcecleanup", verb::force_cleanup),
    verb_option("add", "addnodes", verb::add_nodes),
    verb_option("quorum", "quorumresource", verb::quorum),
    verb_option("ver", "version", verb::version),
    verb_option("listint", "listinterfaces", verb::list_interfaces),
    verb_option("listnetpri", "listnetpriority", verb::list_net_priority),
    verb_option("setnetpri", "setnetpriority", verb::set_net_priority),
    verb_option("?", "?", verb::help),
    verb_option("help", "help", verb::help),
    modifier_option("cluster", "cluster", modifier::cluster),
    modifier_option("json", "json", modifier::json),
    modifier_option("group", "group", modifier::group),
    modifier_option("type", "type", modifier::type),
    modifier_option("separate", "separate", modifier::separate),
    modifier_option("dll", "dllname", modifier::dll),
    modifier_option("isalive", "isalive", modifier::is_alive),
    modifier_option("looksalive", "looksalive", modifier::looks_alive),
    modifier_option("node", "node", modifier::node),
    modifier_option("net", "network", modifier::network),
    modifier_option("wait", "wait", modifier::wait),
    modifier_option("usedefault", "usedefault", modifier::use_default),
    modifier_option("nodemajority", "nodemajority", modifier::node_majority),
    // cluster.exe's quorum log options: the witness keeps no log, the cluster database is
    // replicated to every node by global updates.
    unsupported_option("path", "path", "the quorum witness keeps no quorum log"),
    unsupported_option("maxlogsize", "maxlogsize", "the quorum witness keeps no quorum log"),
};

const option_spec* find_option(std::string_view name) {
  const std::string n = lower(name);
  for (const auto& o : options) {
    if (n == o.full)
      return &o;
  }
  for (const auto& o : options) {
    if (abbreviates(n, o.shortest, o.full))
      return &o;
  }
  return nullptr;
}

std::string_view modifier_name(modifier m) {
  switch (m) {
    case modifier::cluster:
      return "/cluster";
    case modifier::json:
      return "/json";
    case modifier::group:
      return "/group";
    case modifier::type:
      return "/type";
    case modifier::separate:
      return "/separate";
    case modifier::dll:
      return "/dll";
    case modifier::is_alive:
      return "/isalive";
    case modifier::looks_alive:
      return "/looksalive";
    case modifier::node:
      return "/node";
    case modifier::network:
      return "/network";
    case modifier::wait:
      return "/wait";
    case modifier::use_default:
      return "/usedefault";
    case modifier::node_majority:
      return "/nodemajority";
  }
  return "/?";
}

bool is_option_token(std::string_view token) {
  return token.size() >= 2 && (token[0] == '/' || token[0] == '-');
}

// ---------------------------------------------------------------------------------------------
// Which verbs each object has, and what each verb needs.

bool verb_allowed(object_kind object, verb v) {
  switch (object) {
    case object_kind::cluster:
      return v == verb::list || v == verb::properties || v == verb::private_properties ||
             v == verb::quorum || v == verb::version || v == verb::list_net_priority ||
             v == verb::set_net_priority || v == verb::rename || v == verb::add_nodes ||
             v == verb::help;
    case object_kind::node:
      return v == verb::status || v == verb::pause || v == verb::resume || v == verb::evict ||
             v == verb::stop || v == verb::start || v == verb::force_cleanup ||
             v == verb::properties || v == verb::private_properties || v == verb::list_interfaces ||
             v == verb::help;
    case object_kind::group:
      return v == verb::status || v == verb::create || v == verb::remove || v == verb::rename ||
             v == verb::online || v == verb::offline || v == verb::move || v == verb::properties ||
             v == verb::private_properties || v == verb::list_owners || v == verb::set_owners ||
             v == verb::help;
    case object_kind::resource:
      return v == verb::status || v == verb::create || v == verb::remove || v == verb::rename ||
             v == verb::online || v == verb::offline || v == verb::fail || v == verb::move ||
             v == verb::properties || v == verb::private_properties || v == verb::add_dependency ||
             v == verb::remove_dependency || v == verb::list_dependencies ||
             v == verb::list_owners || v == verb::add_owner || v == verb::remove_owner ||
             v == verb::maintenance || v == verb::help;
    case object_kind::resource_type:
      return v == verb::list || v == verb::create || v == verb::remove || v == verb::properties ||
             v == verb::private_properties || v == verb::list_owners || v == verb::help;
    case object_kind::network:
      return v == verb::status || v == verb::rename || v == verb::properties ||
             v == verb::private_properties || v == verb::list_interfaces || v == verb::help;
    case object_kind::netinterface:
      return v == verb::status || v == verb::properties || v == verb::private_properties ||
             v == verb::help;
  }
  return false;
}

enum class value_rule { none, optional, required };

value_rule verb_value_rule(object_kind object, verb v) {
  switch (v) {
    case verb::rename:
    case verb::add_dependency:
    case verb::remove_dependency:
    case verb::set_owners:
    case verb::add_owner:
    case verb::remove_owner:
    case verb::set_net_priority:
    case verb::add_nodes:
      return value_rule::required;
    case verb::online:
      return object == object_kind::group ? value_rule::optional : value_rule::none;
    case verb::move:
      return object == object_kind::resource ? value_rule::required : value_rule::optional;
    case verb::properties:
    case verb::private_properties:
      return value_rule::optional;  // /prop:NAMES /usedefault
    case verb::quorum:
      return value_rule::optional;  // /quorum:RESOURCE sets, /quorum shows
    case verb::maintenance:
      return value_rule::optional;  // /maint:on|off sets, /maint shows
    default:
      return value_rule::none;
  }
}

bool verb_needs_name(object_kind object, verb v) {
  switch (v) {
    case verb::status:
    case verb::list:
    case verb::properties:
    case verb::private_properties:
    case verb::pause:
    case verb::resume:
    case verb::evict:
    case verb::stop:
    case verb::quorum:
    case verb::version:
    case verb::list_net_priority:
    case verb::set_net_priority:
    case verb::add_nodes:
    case verb::help:
      return false;
    case verb::list_interfaces:
      // Without a name, node /listint lists the interfaces of the node that answers.
      return object != object_kind::node;
    case verb::rename:
      // `cluster [NAME] /rename:NEW`: the cluster is the one the command talks to.
      return object != object_kind::cluster;
    default:
      return true;
  }
}

// Whether a modifier belongs with this object and verb; `why` names where it does belong.
bool modifier_allowed(modifier m, object_kind object, verb v, const command& cmd,
                      std::string& why) {
  switch (m) {
    case modifier::cluster:
    case modifier::json:
      return true;
    case modifier::group:
    case modifier::separate:
      why = "resource /create";
      return object == object_kind::resource && v == verb::create;
    case modifier::type:
      why = "resource /create, restype /create and restype /delete";
      return (object == object_kind::resource && v == verb::create) ||
             (object == object_kind::resource_type && (v == verb::create || v == verb::remove));
    case modifier::dll:
    case modifier::is_alive:
    case modifier::looks_alive:
      why = "restype /create";
      return object == object_kind::resource_type && v == verb::create;
    case modifier::node:
      why = "group /status, resource /status and netinterface";
      return ((object == object_kind::group || object == object_kind::resource) &&
              v == verb::status) ||
             object == object_kind::netinterface;
    case modifier::network:
      why = "netinterface";
      return object == object_kind::netinterface;
    case modifier::wait:
      why = "/online, /offline, group /move and node /stop, /start and /forcecleanup";
      return ((object == object_kind::group || object == object_kind::resource) &&
              (v == verb::online || v == verb::offline)) ||
             (object == object_kind::group && v == verb::move) ||
             (object == object_kind::node &&
              (v == verb::stop || v == verb::start || v == verb::force_cleanup));
    case modifier::use_default:
      why = "/prop:NAMES and /priv:NAMES";
      return (v == verb::properties || v == verb::private_properties) && !cmd.arguments.empty();
    case modifier::node_majority:
      why = "/quorum";
      return object == object_kind::cluster && v == verb::quorum;
  }
  return false;
}

std::optional<std::uint32_t> parse_uint32(std::string_view text) {
  std::uint64_t value = 0;
  int base = 10;
  if (text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
    text.remove_prefix(2);
    base = 16;
  }
  if (text.empty())
    return std::nullopt;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value, base);
  if (ec != std::errc{} || end != text.data() + text.size() || value > 0xFFFFFFFFull) {
    return std::nullopt;
  }
  return static_cast<std::uint32_t>(value);
}

std::vector<std::string> split_list(std::string_view text) {
  std::vector<std::string> out;
  std::string current;
  bool quoted = false;
  for (char c : text) {
    if (c == '"') {
      quoted = !quoted;
    } else if (c == ',' && !quoted) {
      out.push_back(current);
      current.clear();
    } else {
      current += c;
    }
  }
  out.push_back(current);
  return out;
}

std::string trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos)
    return {};
  const auto last = text.find_last_not_of(" \t");
  return std::string(text.substr(first, last - first + 1));
}

failure usage(std::string message) {
  return fail(std::move(message));
}

std::string object_word(object_kind object) {
  return std::string(keyword(object));
}

// ---------------------------------------------------------------------------------------------
// The parser proper: one pass over the arguments, then checks that need the whole picture.

class parser {
 public:
  explicit parser(const std::vector<std::string>& args) : args_(args) {}

  result<command> run() {
    for (const auto& arg : args_) {
      if (auto st = take(arg); !st)
        return failure{st.error()};
    }
    if (auto st = finish(); !st)
      return failure{st.error()};
    return std::move(cmd_);
  }

 private:
  status take(const std::string& arg) {
    if (is_option_token(arg))
      return take_option(arg);
    if (!object_seen_ && !verb_) {
      if (const auto* k = find_keyword(arg)) {
        if (!k->kind) {
          return usage("The '" + std::string(k->full) +
                       "' object of cluster.exe is not supported by Wolfpack.");
        }
        cmd_.object = *k->kind;
        object_seen_ = true;
        return {};
      }
      if (!cmd_.cluster) {
        cmd_.cluster = arg;
        cluster_positional_ = true;
        return {};
      }
      return usage("Unrecognized object type '" + arg + "'.");
    }
    if (verb_ && (*verb_ == verb::properties || *verb_ == verb::private_properties) &&
        arg.find('=') != std::string::npos) {
      auto setting = parse_property_setting(arg);
      if (!setting)
        return failure{setting.error()};
      cmd_.settings.push_back(std::move(*setting));
      return {};
    }
    if (object_seen_ && !cmd_.name) {
      cmd_.name = arg;
      return {};
    }
    if (arg.find('=') != std::string::npos) {
      return usage("Unexpected parameter '" + arg + "'. Property values go after /prop or /priv.");
    }
    return usage("Unexpected parameter '" + arg + "'.");
  }

  status take_option(const std::string& arg) {
    const std::string_view body = std::string_view(arg).substr(1);
    const auto colon = body.find(':');
    const std::string_view name = body.substr(0, colon);
    std::optional<std::string> value;
    if (colon != std::string_view::npos)
      value = std::string(body.substr(colon + 1));

    const option_spec* spec = find_option(name);
    if (spec == nullptr)
      return usage("Invalid option '" + arg + "'.");
    if (!spec->unsupported.empty()) {
      return usage("The '/" + std::string(spec->full) +
                   "' option of cluster.exe is not supported by Wolfpack: " +
                   std::string(spec->unsupported) + ".");
    }
    if (spec->action)
      return take_verb(*spec->action, std::move(value));
    return take_modifier(arg, *spec->mod, std::move(value));
  }

  status take_verb(verb v, std::optional<std::string> value) {
    if (verb_) {
      return usage("Only one command option may be given; got '" +
                   std::string(option_name(*verb_)) + "' and '" + std::string(option_name(v)) +
                   "'.");
    }
    verb_ = v;
    if (v == verb::properties || v == verb::private_properties) {
      if (value) {
        if (value->empty()) {
          return usage("The '" + std::string(option_name(v)) +
                       "' option needs property names after ':' (" + std::string(option_name(v)) +
                       ":NAME[,NAME...] /usedefault).");
        }
        for (auto& n : split_list(*value))
          cmd_.arguments.push_back(trim(n));
      }
      return {};
    }
    if ((v == verb::set_owners || v == verb::set_net_priority || v == verb::add_nodes) && value) {
      for (auto& n : split_list(*value))
        cmd_.arguments.push_back(trim(n));
    }
    // `/quorum:` would otherwise read as `/quorum` and only show the configuration.
    if (v == verb::quorum && value && value->empty()) {
      return usage(
          "The '/quorum' option needs a resource name after ':' (/quorum:NAME); "
          "'/quorum /nodemajority' goes back to node majority.");
    }
    cmd_.argument = std::move(value);
    return {};
  }

  status take_modifier(const std::string& arg, modifier m, std::optional<std::string> value) {
    auto once = [&](bool already) -> status {
      if (already) {
        return usage("The '" + std::string(modifier_name(m)) +
                     "' option was given more than once.");
      }
      return {};
    };
    auto needs_value = [&]() -> status {
      if (!value || value->empty()) {
        return usage("The '" + std::string(modifier_name(m)) + "' option requires a value (" +
                     std::string(modifier_name(m)) + ":VALUE).");
      }
      return {};
    };
    auto no_value = [&]() -> status {
      if (value) {
        return usage("The '" + std::string(modifier_name(m)) + "' option does not take a value.");
      }
      return {};
    };
    auto number = [&](std::optional<std::uint32_t>& slot) -> status {
      if (auto st = once(slot.has_value()); !st)
        return st;
      if (auto st = needs_value(); !st)
        return st;
      auto n = parse_uint32(*value);
      if (!n) {
        return usage("The '" + std::string(modifier_name(m)) + "' option takes a number, not '" +
                     *value + "'.");
      }
      slot = *n;
      return {};
    };
    modifiers_.emplace_back(m, arg);
    switch (m) {
      case modifier::cluster:
        if (auto st = once(cluster_option_seen_); !st)
          return st;
        if (!value || value->empty()) {
          return usage(
              "The '/cluster' option requires a value (/cluster:NAME or /cluster:HOST:PORT).");
        }
        cluster_option_seen_ = true;
        // `cluster lab /cluster:x` names two clusters: refuse rather than pick one.
        if (cluster_positional_) {
          return usage("Two clusters were given: '" + *cmd_.cluster + "' and '/cluster:" + *value +
                       "'.");
        }
        cmd_.cluster = std::move(*value);
        return {};
      case modifier::json:
        if (auto st = no_value(); !st)
          return st;
        cmd_.json = true;
        return {};
      case modifier::group:
        if (auto st = once(cmd_.group.has_value()); !st)
          return st;
        if (auto st = needs_value(); !st)
          return st;
        cmd_.group = std::move(*value);
        return {};
      case modifier::type:
        if (auto st = once(cmd_.type.has_value() || cmd_.type_flag); !st)
          return st;
        if (value && !value->empty()) {
          cmd_.type = std::move(*value);
        } else {
          cmd_.type_flag = true;
        }
        return {};
      case modifier::separate:
        if (auto st = no_value(); !st)
          return st;
        cmd_.separate = true;
        return {};
      case modifier::dll:
        if (auto st = once(cmd_.dll.has_value()); !st)
          return st;
        if (auto st = needs_value(); !st)
          return st;
        cmd_.dll = std::move(*value);
        return {};
      case modifier::is_alive:
        return number(cmd_.is_alive_ms);
      case modifier::looks_alive:
        return number(cmd_.looks_alive_ms);
      case modifier::node:
        if (auto st = once(cmd_.node.has_value()); !st)
          return st;
        if (auto st = needs_value(); !st)
          return st;
        cmd_.node = std::move(*value);
        return {};
      case modifier::network:
        if (auto st = once(cmd_.network.has_value()); !st)
          return st;
        if (auto st = needs_value(); !st)
          return st;
        cmd_.network = std::move(*value);
        return {};
      case modifier::wait:
        if (auto st = once(cmd_.wait.given); !st)
          return st;
        cmd_.wait.given = true;
        if (value) {
          auto n = parse_uint32(*value);
          if (!n) {
            return usage("The '/wait' option takes a number of seconds, not '" + *value + "'.");
          }
          cmd_.wait.seconds = *n;
        }
        return {};
      case modifier::use_default:
        if (auto st = no_value(); !st)
          return st;
        cmd_.use_default = true;
        return {};
      case modifier::node_majority:
        if (auto st = once(cmd_.node_majority); !st)
          return st;
        if (auto st = no_value(); !st)
          return st;
        cmd_.node_majority = true;
        return {};
    }
    return {};
  }

  status finish() {
    if (!object_seen_ && !verb_) {
      // `cluster /nodemajority` forgot its /quorum: say that rather than "no command".
      for (const auto& [m, token] : modifiers_) {
        std::string why;
        if (m != modifier::cluster && m != modifier::json &&
            !modifier_allowed(m, object_kind::cluster, verb::help, cmd_, why)) {
          return usage("The '" + std::string(modifier_name(m)) + "' option is valid only with " +
                       why + ".");
        }
      }
      return usage("A command must be specified. Type 'cluster /?' for the syntax.");
    }
    if (!verb_) {
      verb_ = cmd_.object == object_kind::resource_type ? verb::list : verb::status;
    }
    const verb v = *verb_;
    cmd_.action = v;
    if (v == verb::help)
      return {};

    if (!verb_allowed(cmd_.object, v)) {
      if (cmd_.object == object_kind::cluster) {
        return usage("The '" + std::string(option_name(v)) +
                     "' option needs an object (node, group, resource, restype, network or "
                     "netinterface).");
      }
      return usage("The '" + std::string(option_name(v)) + "' option is not valid for '" +
                   object_word(cmd_.object) + "'.");
    }

    const bool list_verb = v == verb::properties || v == verb::private_properties;
    if (!list_verb) {
      switch (verb_value_rule(cmd_.object, v)) {
        case value_rule::none:
          if (cmd_.argument) {
            return usage("The '" + std::string(option_name(v)) +
                         "' option does not take a value here.");
          }
          break;
        case value_rule::required:
          if (!cmd_.argument || cmd_.argument->empty()) {
            return usage("The '" + std::string(option_name(v)) + "' option requires a value (" +
                         std::string(option_name(v)) + ":VALUE).");
          }
          break;
        case value_rule::optional:
          if (cmd_.argument && cmd_.argument->empty())
            cmd_.argument.reset();
          break;
      }
    }

    for (const auto& [m, token] : modifiers_) {
      std::string why;
      if (!modifier_allowed(m, cmd_.object, v, cmd_, why)) {
        return usage("The '" + std::string(modifier_name(m)) + "' option is valid only with " +
                     why + ".");
      }
    }

    if (auto st = check_network_objects(v); !st)
      return st;

    if (list_verb) {
      if (!cmd_.arguments.empty() && !cmd_.use_default) {
        return usage("'" + std::string(option_name(v)) +
                     ":NAMES' resets properties and needs /usedefault.");
      }
      if (!cmd_.arguments.empty() && !cmd_.settings.empty()) {
        return usage("Property values cannot be given together with /usedefault.");
      }
      if ((!cmd_.settings.empty() || cmd_.use_default) && !cmd_.name &&
          cmd_.object != object_kind::cluster && cmd_.object != object_kind::netinterface) {
        return usage("A " + object_word(cmd_.object) +
                     " name must be specified to set properties.");
      }
    }

    if (verb_needs_name(cmd_.object, v) && !cmd_.name) {
      return usage("A " + object_word(cmd_.object) + " name must be specified for " +
                   std::string(option_name(v)) + ".");
    }
    if (cmd_.object == object_kind::cluster && cmd_.name) {
      return usage("Unexpected parameter '" + *cmd_.name + "'.");
    }

    if (v == verb::create && cmd_.object == object_kind::resource) {
      if (!cmd_.group)
        return usage("Required parameter '/group' is missing.");
      if (!cmd_.type)
        return usage("Required parameter '/type' is missing.");
      if (cmd_.type_flag)
        return usage("The '/type' option requires a value (/type:VALUE).");
    }
    if (v == verb::create && cmd_.object == object_kind::resource_type) {
      if (!cmd_.dll)
        return usage("Required parameter '/dll' is missing.");
      if (cmd_.type_flag)
        return usage("The '/type' option requires a value (/type:VALUE).");
    }
    if (v == verb::remove && cmd_.object == object_kind::resource_type && cmd_.type) {
      return usage("With /delete, '/type' takes no value: cluster restype TYPENAME /delete /type.");
    }
    if (v == verb::quorum && cmd_.node_majority && cmd_.argument) {
      return usage("Give either /quorum:" + *cmd_.argument +
                   " (make it the witness) or /quorum /nodemajority (no witness), not both.");
    }
    if (v == verb::set_owners) {
      for (const auto& n : cmd_.arguments) {
        if (n.empty())
          return usage("The '/setowners' list has an empty node name.");
      }
    }
    if (v == verb::set_net_priority) {
      for (const auto& n : cmd_.arguments) {
        if (n.empty())
          return usage("The '/setnetpriority' list has an empty network name.");
      }
    }
    return {};
  }

  // Networks and interfaces: an interface is named by its node and network, and neither
  // object has private properties to set.
  status check_network_objects(verb v) {
    const bool list_verb = v == verb::properties || v == verb::private_properties;
    const bool setting = !cmd_.settings.empty() || cmd_.use_default;
    if (cmd_.object == object_kind::netinterface) {
      if (cmd_.name) {
        return usage("A network interface is named by /node:NODE and /network:NETWORK, not by '" +
                     *cmd_.name + "'.");
      }
      if (list_verb && cmd_.node.has_value() != cmd_.network.has_value()) {
        return usage("The '" + std::string(option_name(v)) +
                     "' option of netinterface needs both /node:NODE and /network:NETWORK to "
                     "name one interface (or neither, for all interfaces).");
      }
      if (list_verb && setting && !cmd_.node) {
        return usage(
            "Setting properties of a network interface needs /node:NODE and "
            "/network:NETWORK to name it.");
      }
    }
    if ((cmd_.object == object_kind::network || cmd_.object == object_kind::netinterface) &&
        v == verb::private_properties && setting) {
      return usage(
          "A " +
          std::string(cmd_.object == object_kind::network ? "network" : "network interface") +
          " has no private properties to set.");
    }
    return {};
  }

  const std::vector<std::string>& args_;
  command cmd_;
  bool object_seen_ = false;
  bool cluster_option_seen_ = false;
  bool cluster_positional_ = false;
  std::optional<verb> verb_;
  std::vector<std::pair<modifier, std::string>> modifiers_;
};

// ---------------------------------------------------------------------------------------------
// Property formats

struct format_spec {
  std::string_view name;
  std::optional<property_format> format;  // nullopt: known to cluster.exe, not supported here
};

constexpr std::array formats{
    format_spec{"binary", property_format::binary},
    format_spec{"dword", property_format::dword},
    format_spec{"str", property_format::string},
    format_spec{"string", property_format::string},
    format_spec{"expandstr", property_format::expand_string},
    format_spec{"expandstring", property_format::expand_string},
    format_spec{"multistr", property_format::multi_string},
    format_spec{"multistring", property_format::multi_string},
    format_spec{"ularge", property_format::ularge},
    format_spec{"security", std::nullopt},
};

// The position of the last ':' outside double quotes, or npos.
std::size_t last_unquoted_colon(std::string_view text) {
  std::size_t found = std::string_view::npos;
  bool quoted = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '"') {
      quoted = !quoted;
    } else if (text[i] == ':' && !quoted) {
      found = i;
    }
  }
  return found;
}

std::string unquote(std::string_view text) {
  if (text.size() >= 2 && text.front() == '"' && text.back() == '"') {
    text = text.substr(1, text.size() - 2);
  }
  return std::string(text);
}

}  // namespace

std::string_view keyword(object_kind kind) {
  switch (kind) {
    case object_kind::cluster:
      return "cluster";
    case object_kind::node:
      return "node";
    case object_kind::group:
      return "group";
    case object_kind::resource:
      return "resource";
    case object_kind::resource_type:
      return "resourcetype";
    case object_kind::network:
      return "network";
    case object_kind::netinterface:
      return "netinterface";
  }
  return "?";
}

std::string_view option_name(verb v) {
  switch (v) {
    case verb::status:
      return "/status";
    case verb::list:
      return "/list";
    case verb::create:
      return "/create";
    case verb::remove:
      return "/delete";
    case verb::rename:
      return "/rename";
    case verb::online:
      return "/online";
    case verb::offline:
      return "/offline";
    case verb::fail:
      return "/fail";
    case verb::move:
      return "/moveto";
    case verb::properties:
      return "/properties";
    case verb::private_properties:
      return "/privproperties";
    case verb::add_dependency:
      return "/adddependency";
    case verb::remove_dependency:
      return "/removedependency";
    case verb::list_dependencies:
      return "/listdependencies";
    case verb::list_owners:
      return "/listowners";
    case verb::set_owners:
      return "/setowners";
    case verb::add_owner:
      return "/addowner";
    case verb::remove_owner:
      return "/removeowner";
    case verb::maintenance:
      return "/maintenancemode";
    case verb::pause:
      return "/pause";
    case verb::resume:
      return "/resume";
    case verb::evict:
      return "/evict";
    case verb::stop:
      return "/stop";
    case verb::start:
      return "/start";
    case verb::force_cleanup:
      return "/forcecleanup";
    case verb::add_nodes:
      return "/addnodes";
    case verb::quorum:
      return "/quorum";
    case verb::version:
      return "/version";
    case verb::list_interfaces:
      return "/listinterfaces";
    case verb::list_net_priority:
      return "/listnetpriority";
    case verb::set_net_priority:
      return "/setnetpriority";
    case verb::help:
      return "/?";
  }
  return "/?";
}

result<command> parse_command_line(const std::vector<std::string>& args) {
  return parser(args).run();
}

result<property_setting> parse_property_setting(std::string_view text) {
  const auto eq = text.find('=');
  if (eq == std::string_view::npos) {
    return fail("Property setting '" + std::string(text) + "' must be Name=Value.");
  }
  property_setting out;
  out.name = trim(text.substr(0, eq));
  if (out.name.empty()) {
    return fail("Property setting '" + std::string(text) + "' has no property name.");
  }
  std::string_view rest = text.substr(eq + 1);

  if (const auto colon = last_unquoted_colon(rest); colon != std::string_view::npos) {
    const std::string suffix = lower(rest.substr(colon + 1));
    const auto* spec = std::find_if(formats.begin(), formats.end(),
                                    [&](const format_spec& f) { return f.name == suffix; });
    if (spec != formats.end()) {
      if (!spec->format) {
        return fail("The '" + suffix + "' format (property '" + out.name +
                    "') is not supported by Wolfpack.");
      }
      out.format = spec->format;
      rest = rest.substr(0, colon);
    } else if (!suffix.empty() && std::all_of(suffix.begin(), suffix.end(), [](unsigned char c) {
                 return std::isalpha(c) != 0;
               })) {
      // cluster.exe reads a word after the last ':' as a format; say so rather than store
      // "value:dwrod" silently.
      return fail("The format '" + std::string(rest.substr(colon + 1)) + "' given for property '" +
                  out.name +
                  "' is not a valid format (binary, dword, string, expandstr, multistr, "
                  "ularge). To keep ':" +
                  std::string(rest.substr(colon + 1)) +
                  "' in the value, end the setting with :string.");
    }
  }

  out.text = unquote(rest);
  for (const auto& piece : split_list(rest))
    out.values.push_back(trim(piece));
  return out;
}

std::vector<std::string> split_command_line(std::string_view line) {
  std::vector<std::string> out;
  std::string current;
  bool in_arg = false;
  bool quoted = false;
  std::size_t i = 0;
  while (i < line.size()) {
    const char c = line[i];
    if (c == '\\') {
      std::size_t n = 0;
      while (i < line.size() && line[i] == '\\') {
        ++n;
        ++i;
      }
      if (i < line.size() && line[i] == '"') {
        current.append(n / 2, '\\');
        if (n % 2 == 1) {
          current += '"';
          ++i;
        }
      } else {
        current.append(n, '\\');
      }
      in_arg = true;
      continue;
    }
    if (c == '"') {
      if (quoted && i + 1 < line.size() && line[i + 1] == '"') {
        current += '"';
        i += 2;
        continue;
      }
      quoted = !quoted;
      in_arg = true;
      ++i;
      continue;
    }
    if ((c == ' ' || c == '\t') && !quoted) {
      if (in_arg) {
        out.push_back(std::move(current));
        current.clear();
        in_arg = false;
      }
      ++i;
      continue;
    }
    current += c;
    in_arg = true;
    ++i;
  }
  if (in_arg)
    out.push_back(std::move(current));
  return out;
}

}  // namespace wolfpack::cluster_cli
