#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "wolfpack/cluster_cli/command_line.hpp"

using namespace wolfpack::cluster_cli;

namespace {

// Parses a command line written as the user types it (after "cluster").
wolfpack::result<command> parse(const std::string& line) {
  return parse_command_line(split_command_line(line));
}

command parsed(const std::string& line) {
  auto r = parse(line);
  INFO(line);
  if (!r)
    FAIL(r.error());
  return *r;
}

std::string error_of(const std::string& line) {
  auto r = parse(line);
  INFO(line);
  REQUIRE_FALSE(r.ok());
  return r.error();
}

}  // namespace

TEST_CASE("object keywords and options accept cluster.exe's abbreviations",
          "[cluster_cli][parse]") {
  for (const auto* line : {"res", "reso", "resource", "RES", "Resource"}) {
    CHECK(parsed(line).object == object_kind::resource);
  }
  for (const auto* line : {"restype", "resourcetype", "RESTYPE", "ResourceType"}) {
    const auto cmd = parsed(line);
    CHECK(cmd.object == object_kind::resource_type);
    CHECK(cmd.action == verb::list);  // restype's default
  }
  CHECK(parsed("node").action == verb::status);  // the default of the others
  CHECK(parsed("GROUP").object == object_kind::group);

  struct example {
    const char* line;
    verb expected;
  };
  for (const auto& [line, expected] : {
           example{"res X /stat", verb::status},
           example{"res X /statu", verb::status},
           example{"res X /STATUS", verb::status},
           example{"res X /prop", verb::properties},
           example{"res X /properties", verb::properties},
           example{"res X /priv", verb::private_properties},
           example{"res X /privproperties", verb::private_properties},
           example{"res X /on", verb::online},
           example{"res X /ONLINE", verb::online},
           example{"res X /off", verb::offline},
           example{"res X /offl", verb::offline},
           example{"res X /ren:Y", verb::rename},
           example{"res X /rename:Y", verb::rename},
           example{"res X /listdep", verb::list_dependencies},
           example{"res X /listdependencies", verb::list_dependencies},
           example{"res X /adddep:Y", verb::add_dependency},
           example{"res X /AddDependency:Y", verb::add_dependency},
           example{"res X /removedep:Y", verb::remove_dependency},
           example{"res X /move:G", verb::move},
           example{"res X /moveto:G", verb::move},
           example{"res X /fail", verb::fail},
           example{"res X /listowners", verb::list_owners},
           example{"res X /addowner:n1", verb::add_owner},
           example{"res X /removeowner:n1", verb::remove_owner},
           example{"group G /setowners:n1,n2", verb::set_owners},
           example{"node N /pause", verb::pause},
           example{"node /resume", verb::resume},
           example{"node N /evict", verb::evict},
           example{"node N /forcecleanup", verb::force_cleanup},
           example{"node N /FORCECLEANUP /wait:5", verb::force_cleanup},
           example{"/rename:prod", verb::rename},
           example{"lab /ren:prod", verb::rename},
           example{"/add:node4", verb::add_nodes},
           example{"/addnodes:node4,node5", verb::add_nodes},
           example{"restype /list", verb::list},
           example{"/quorum", verb::quorum},
           example{"/QUORUMRES", verb::quorum},
           example{"/quorumresource:Witness", verb::quorum},
           example{"res /?", verb::help},
           example{"/help", verb::help},
       }) {
    INFO(line);
    CHECK(parsed(line).action == expected);
  }
}

TEST_CASE("options take '-' as well as '/'", "[cluster_cli][parse]") {
  const auto cmd = parsed("-cluster:127.0.0.1:9000 res \"Disk Q\" -on -wait:5 -json");
  CHECK(cmd.cluster == "127.0.0.1:9000");
  CHECK(cmd.action == verb::online);
  CHECK(cmd.wait.given);
  CHECK(cmd.wait.seconds == 5u);
  CHECK(cmd.json);
  CHECK(parsed("res X -STAT").action == verb::status);
}

TEST_CASE("quoted names keep their spaces", "[cluster_cli][parse]") {
  const auto words = split_command_line(
      R"(res "Disk Q: Data" /create /group:"File Server" /type:"Generic Application")");
  REQUIRE(words.size() == 5);
  CHECK(words[1] == "Disk Q: Data");

  const auto cmd = parse_command_line(words);
  REQUIRE(cmd.ok());
  CHECK(cmd->name == "Disk Q: Data");
  CHECK(cmd->group == "File Server");
  CHECK(cmd->type == "Generic Application");

  // The C runtime's rules for quotes inside quotes.
  CHECK(split_command_line(R"(a "b ""c"" d" e\"f)") ==
        std::vector<std::string>{"a", R"(b "c" d)", R"(e"f)"});
}

TEST_CASE("the cluster is a bare name before the object or /cluster:", "[cluster_cli][parse]") {
  auto cmd = parsed("lab group \"File Server\" /move:node2 /wait:30");
  CHECK(cmd.cluster == "lab");
  CHECK(cmd.object == object_kind::group);
  CHECK(cmd.name == "File Server");
  CHECK(cmd.action == verb::move);
  CHECK(cmd.argument == "node2");
  CHECK(cmd.wait.seconds == 30u);

  // A cluster named like a keyword needs /cluster:.
  cmd = parsed("/cluster:group group");
  CHECK(cmd.cluster == "group");
  CHECK(cmd.object == object_kind::group);
  CHECK_FALSE(cmd.name);

  cmd = parsed("group");
  CHECK_FALSE(cmd.cluster);

  cmd = parsed("/list");
  CHECK(cmd.object == object_kind::cluster);
  CHECK(cmd.action == verb::list);

  cmd = parsed("lab /prop SameSubnetDelay=2000");
  CHECK(cmd.object == object_kind::cluster);
  CHECK(cmd.action == verb::properties);
  REQUIRE(cmd.settings.size() == 1);
  CHECK(cmd.settings[0].name == "SameSubnetDelay");

  CHECK(error_of("lab /cluster:other group") ==
        "Two clusters were given: 'lab' and '/cluster:other'.");
  CHECK(error_of("lab other group") == "Unrecognized object type 'other'.");
}

TEST_CASE("option values and modifiers land in the command", "[cluster_cli][parse]") {
  auto cmd = parsed("res R /create /group:G /type:Dummy /separate");
  CHECK(cmd.action == verb::create);
  CHECK(cmd.group == "G");
  CHECK(cmd.type == "Dummy");
  CHECK(cmd.separate);

  cmd = parsed(
      "restype \"My Type\" /create /dllname:libmy.so /type:MyType /isalive:60000 "
      "/looksalive:0x1388");
  CHECK(cmd.dll == "libmy.so");
  CHECK(cmd.type == "MyType");
  CHECK(cmd.is_alive_ms == 60000u);
  CHECK(cmd.looks_alive_ms == 5000u);

  cmd = parsed("restype MyType /delete /type");
  CHECK(cmd.action == verb::remove);
  CHECK(cmd.type_flag);

  cmd = parsed("res Disk /maint:on");
  CHECK(cmd.action == verb::maintenance);
  CHECK(cmd.argument == "on");
  cmd = parsed("res Disk /maintenancemode");
  CHECK(cmd.action == verb::maintenance);
  CHECK_FALSE(cmd.argument);

  cmd = parsed("group G /setowners:node2,node1");
  CHECK(cmd.arguments == std::vector<std::string>{"node2", "node1"});

  cmd = parsed("group G /online");
  CHECK_FALSE(cmd.argument);
  CHECK_FALSE(cmd.wait.given);
  cmd = parsed("group G /on:node3 /wait");
  CHECK(cmd.argument == "node3");
  CHECK(cmd.wait.given);
  CHECK_FALSE(cmd.wait.seconds);

  cmd = parsed("res /status /node:node1");
  CHECK(cmd.node == "node1");

  cmd = parsed("res R /prop:Description,RestartThreshold /usedefault");
  CHECK(cmd.arguments == std::vector<std::string>{"Description", "RestartThreshold"});
  CHECK(cmd.use_default);

  cmd = parsed(R"(node N1 /priv prop1=string1,string2:multistring prop2=0xa,0xb:binary)");
  REQUIRE(cmd.settings.size() == 2);
  CHECK(cmd.settings[0].format == property_format::multi_string);
  CHECK(cmd.settings[0].values == std::vector<std::string>{"string1", "string2"});
  CHECK(cmd.settings[1].format == property_format::binary);
  CHECK(cmd.settings[1].values == std::vector<std::string>{"0xa", "0xb"});
}

TEST_CASE("property settings follow the Name=Value[,Value...][:format] syntax",
          "[cluster_cli][parse]") {
  auto s = parse_property_setting(R"(myString="string value":string)");
  REQUIRE(s.ok());
  CHECK(s->name == "myString");
  CHECK(s->text == "string value");
  CHECK(s->format == property_format::string);

  s = parse_property_setting(R"(Description="a, b")");
  REQUIRE(s.ok());
  CHECK(s->text == "a, b");
  CHECK(s->values == std::vector<std::string>{"a, b"});
  CHECK_FALSE(s->format);

  s = parse_property_setting(R"(Names="x, y", z:MULTISTR)");
  REQUIRE(s.ok());
  CHECK(s->values == std::vector<std::string>{"x, y", "z"});
  CHECK(s->format == property_format::multi_string);

  // A ':' that is not followed by a format word is part of the value.
  s = parse_property_setting(R"(Path=C:\data)");
  REQUIRE(s.ok());
  CHECK(s->text == R"(C:\data)");
  CHECK_FALSE(s->format);
  s = parse_property_setting("Url=http://x:8080");
  REQUIRE(s.ok());
  CHECK(s->text == "http://x:8080");

  s = parse_property_setting("Count=10:DWord");
  REQUIRE(s.ok());
  CHECK(s->format == property_format::dword);
  s = parse_property_setting("Size=1:ularge");
  REQUIRE(s.ok());
  CHECK(s->format == property_format::ularge);
  s = parse_property_setting("P=%windir%:expandstr");
  REQUIRE(s.ok());
  CHECK(s->format == property_format::expand_string);
  s = parse_property_setting("Empty=");
  REQUIRE(s.ok());
  CHECK(s->text.empty());

  CHECK(parse_property_setting("Note=see:dwrod").error() ==
        "The format 'dwrod' given for property 'Note' is not a valid format (binary, dword, "
        "string, expandstr, multistr, ularge). To keep ':dwrod' in the value, end the setting "
        "with :string.");
  CHECK(parse_property_setting("Acl=x:security").error() ==
        "The 'security' format (property 'Acl') is not supported by Wolfpack.");
  CHECK(parse_property_setting("=5").error() == "Property setting '=5' has no property name.");
}

TEST_CASE("usage errors say what is wrong", "[cluster_cli][parse]") {
  struct example {
    const char* line;
    const char* error;
  };
  for (const auto& [line, error] : {
           example{"res X /frobnicate", "Invalid option '/frobnicate'."},
           example{"res X /o", "Invalid option '/o'."},
           example{"res X /rename", "The '/rename' option requires a value (/rename:VALUE)."},
           example{"res X /adddep:",
                   "The '/adddependency' option requires a value (/adddependency:VALUE)."},
           example{"/rename", "The '/rename' option requires a value (/rename:VALUE)."},
           example{"/add", "The '/addnodes' option requires a value (/addnodes:VALUE)."},
           example{"node /forcecleanup", "A node name must be specified for /forcecleanup."},
           example{"group G /forcecleanup", "The '/forcecleanup' option is not valid for 'group'."},
           example{"res X /add:n1", "The '/addnodes' option is not valid for 'resource'."},
           example{"res X /moveto", "The '/moveto' option requires a value (/moveto:VALUE)."},
           example{"group G /pause", "The '/pause' option is not valid for 'group'."},
           example{"group G /maint:on", "The '/maintenancemode' option is not valid for 'group'."},
           example{"res /maint", "A resource name must be specified for /maintenancemode."},
           example{"node N /online", "The '/online' option is not valid for 'node'."},
           example{"restype T /online", "The '/online' option is not valid for 'resourcetype'."},
           example{"res X /fail /wait:5",
                   "The '/wait' option is valid only with /online, /offline, group /move and node "
                   "/stop, /start and /forcecleanup."},
           example{"res X /moveto:G /wait",
                   "The '/wait' option is valid only with /online, /offline, group /move and node "
                   "/stop, /start and /forcecleanup."},
           example{"res X /on /off",
                   "Only one command option may be given; got '/online' and '/offline'."},
           example{"res X /on:node1", "The '/online' option does not take a value here."},
           example{"res X /delete:now", "The '/delete' option does not take a value here."},
           example{"res /delete", "A resource name must be specified for /delete."},
           example{"group /online", "A group name must be specified for /online."},
           example{"res X /create /type:Dummy", "Required parameter '/group' is missing."},
           example{"res X /create /group:G", "Required parameter '/type' is missing."},
           example{"restype T /create", "Required parameter '/dll' is missing."},
           example{"res X /group:G", "The '/group' option is valid only with resource /create."},
           example{"group /node", "The '/node' option requires a value (/node:VALUE)."},
           example{"res X /on /wait:soon",
                   "The '/wait' option takes a number of seconds, not 'soon'."},
           example{"res X /on /wait /wait", "The '/wait' option was given more than once."},
           example{"res X A=1",
                   "Unexpected parameter 'A=1'. Property values go after /prop or /priv."},
           example{"res X Y", "Unexpected parameter 'Y'."},
           example{"res X /prop:Description",
                   "'/properties:NAMES' resets properties and needs /usedefault."},
           example{"res X /prop /usedefault",
                   "The '/usedefault' option is valid only with /prop:NAMES and /priv:NAMES."},
           example{"res /prop A=1", "A resource name must be specified to set properties."},
           example{"res X /prop Count=1:dwrod",
                   "The format 'dwrod' given for property 'Count' is not a valid format (binary, "
                   "dword, string, expandstr, multistr, ularge). To keep ':dwrod' in the value, "
                   "end the setting with :string."},
           example{"", "A command must be specified. Type 'cluster /?' for the syntax."},
           example{"lab", "A command must be specified. Type 'cluster /?' for the syntax."},
           example{"/status",
                   "The '/status' option needs an object (node, group, resource, restype, "
                   "network or netinterface)."},
           example{"/cluster",
                   "The '/cluster' option requires a value (/cluster:NAME or /cluster:HOST:PORT)."},
           example{"res /json:yes", "The '/json' option does not take a value."},
           example{"/quorum:",
                   "The '/quorum' option needs a resource name after ':' (/quorum:NAME); "
                   "'/quorum /nodemajority' goes back to node majority."},
           example{"/nodemajority", "The '/nodemajority' option is valid only with /quorum."},
           example{"lab /nodemajority", "The '/nodemajority' option is valid only with /quorum."},
           example{"res X /nodemajority", "The '/nodemajority' option is valid only with /quorum."},
           example{"group /quorum", "The '/quorum' option is not valid for 'group'."},
           example{"group G /quorum:Witness", "The '/quorum' option is not valid for 'group'."},
           example{"/quorum:Witness /nodemajority",
                   "Give either /quorum:Witness (make it the witness) or /quorum /nodemajority "
                   "(no witness), not both."},
           example{"/quorum /nodemajority:yes",
                   "The '/nodemajority' option does not take a value."},
           example{"/quorum /nodemajority /nodemajority",
                   "The '/nodemajority' option was given more than once."},
           example{"/quorum Witness", "Unexpected parameter 'Witness'."},
           example{"/quorum /prop",
                   "Only one command option may be given; got '/quorum' and "
                   "'/properties'."},
           example{"/quorum /wait",
                   "The '/wait' option is valid only with /online, /offline, group /move and node "
                   "/stop, /start and /forcecleanup."},
           example{"/quo", "Invalid option '/quo'."},
           example{"/quorum:Disk /path:Q:\\MSCS",
                   "The '/path' option of cluster.exe is not supported by Wolfpack: the quorum "
                   "witness keeps no quorum log."},
           example{"/quorum /maxlogsize:4096",
                   "The '/maxlogsize' option of cluster.exe is not supported by Wolfpack: the "
                   "quorum witness keeps no quorum log."},
       }) {
    INFO(line);
    CHECK(error_of(line) == error);
  }
}

TEST_CASE("/quorum shows, /quorum:NAME sets the witness, /nodemajority removes it",
          "[cluster_cli][parse][quorum]") {
  auto cmd = parsed("lab /quorum");
  CHECK(cmd.cluster == "lab");
  CHECK(cmd.object == object_kind::cluster);
  CHECK(cmd.action == verb::quorum);
  CHECK_FALSE(cmd.argument);
  CHECK_FALSE(cmd.node_majority);

  cmd = parsed("/cluster:127.0.0.1:7001 /quorum:\"File Share Witness\"");
  CHECK(cmd.cluster == "127.0.0.1:7001");
  CHECK(cmd.action == verb::quorum);
  CHECK(cmd.argument == "File Share Witness");

  cmd = parsed("-QuorumResource -NodeMajority -json");
  CHECK(cmd.action == verb::quorum);
  CHECK_FALSE(cmd.argument);
  CHECK(cmd.node_majority);
  CHECK(cmd.json);

  // The modifier may come first, as every modifier may.
  cmd = parsed("/nodemajority /quorum");
  CHECK(cmd.action == verb::quorum);
  CHECK(cmd.node_majority);
}

TEST_CASE("net[work] and netint[erface] parse as cluster.exe's objects",
          "[cluster_cli][parse][network]") {
  for (const auto* line : {"net", "netw", "network", "NET", "Network"}) {
    INFO(line);
    const auto cmd = parsed(line);
    CHECK(cmd.object == object_kind::network);
    CHECK(cmd.action == verb::status);
  }
  for (const auto* line : {"netint", "netinter", "netinterface", "NETINT"}) {
    INFO(line);
    const auto cmd = parsed(line);
    CHECK(cmd.object == object_kind::netinterface);
    CHECK(cmd.action == verb::status);
  }

  auto cmd = parsed("lab net Public /ren:Clients");
  CHECK(cmd.cluster == "lab");
  CHECK(cmd.name == "Public");
  CHECK(cmd.action == verb::rename);
  CHECK(cmd.argument == "Clients");

  cmd = parsed("net \"Client LAN\" /listint");
  CHECK(cmd.name == "Client LAN");
  CHECK(cmd.action == verb::list_interfaces);
  CHECK(parsed("network Public /listinterfaces").action == verb::list_interfaces);

  cmd = parsed("net Public /prop Role=1 Description=\"Heartbeats only\"");
  CHECK(cmd.action == verb::properties);
  REQUIRE(cmd.settings.size() == 2);
  CHECK(cmd.settings[1].text == "Heartbeats only");
  CHECK(parsed("net /priv").action == verb::private_properties);

  cmd = parsed("netint /node:node1 /net:Public");
  CHECK(cmd.action == verb::status);
  CHECK(cmd.node == "node1");
  CHECK(cmd.network == "Public");
  CHECK_FALSE(cmd.name);
  cmd = parsed("netint -Network:\"Client LAN\" -stat");
  CHECK(cmd.network == "Client LAN");
  CHECK_FALSE(cmd.node);

  cmd = parsed("netint /node:node1 /network:Public /prop Description=uplink");
  CHECK(cmd.action == verb::properties);
  REQUIRE(cmd.settings.size() == 1);
  cmd = parsed("netint /node:node1 /network:Public /prop:Description /usedefault");
  CHECK(cmd.arguments == std::vector<std::string>{"Description"});
  CHECK(parsed("netint /prop").action == verb::properties);
  CHECK(parsed("netint /node:n1 /net:Public /priv").action == verb::private_properties);

  cmd = parsed("node node1 /listint");
  CHECK(cmd.object == object_kind::node);
  CHECK(cmd.action == verb::list_interfaces);
  cmd = parsed("node /listinterfaces");
  CHECK(cmd.action == verb::list_interfaces);
  CHECK_FALSE(cmd.name);
}

TEST_CASE("/listnetpri and /setnetpri are the cluster's options", "[cluster_cli][parse][network]") {
  auto cmd = parsed("lab /listnetpri");
  CHECK(cmd.object == object_kind::cluster);
  CHECK(cmd.action == verb::list_net_priority);
  CHECK(parsed("/ListNetPriority").action == verb::list_net_priority);

  cmd = parsed("/setnetpri:Private,\"Client LAN\"");
  CHECK(cmd.action == verb::set_net_priority);
  CHECK(cmd.arguments == std::vector<std::string>{"Private", "Client LAN"});
  cmd = parsed("-setnetpriority:Private");
  CHECK(cmd.arguments == std::vector<std::string>{"Private"});
}

TEST_CASE("network usage errors say what is wrong", "[cluster_cli][parse][network]") {
  struct example {
    const char* line;
    const char* error;
  };
  for (const auto& [line, error] : {
           example{"net Public /online", "The '/online' option is not valid for 'network'."},
           example{"net Public /delete", "The '/delete' option is not valid for 'network'."},
           example{"net /rename:X", "A network name must be specified for /rename."},
           example{"net Public /rename", "The '/rename' option requires a value (/rename:VALUE)."},
           example{"net /listint", "A network name must be specified for /listinterfaces."},
           example{"net Public /listint:x",
                   "The '/listinterfaces' option does not take a value here."},
           example{"net /prop Role=1", "A network name must be specified to set properties."},
           example{"net Public /priv Foo=1", "A network has no private properties to set."},
           example{"net Public /priv:Foo /usedefault",
                   "A network has no private properties to set."},
           example{"net Public /node:node1",
                   "The '/node' option is valid only with group /status, resource /status and "
                   "netinterface."},
           example{"net /network:Public", "The '/network' option is valid only with netinterface."},
           example{"group /net:Public", "The '/network' option is valid only with netinterface."},
           example{"/network:Public", "The '/network' option is valid only with netinterface."},
           example{"netint \"node1 - eth0\"",
                   "A network interface is named by /node:NODE and /network:NETWORK, not by "
                   "'node1 - eth0'."},
           example{"netint /node:node1 /prop",
                   "The '/properties' option of netinterface needs both /node:NODE and "
                   "/network:NETWORK to name one interface (or neither, for all interfaces)."},
           example{"netint /net:Public /priv",
                   "The '/privproperties' option of netinterface needs both /node:NODE and "
                   "/network:NETWORK to name one interface (or neither, for all interfaces)."},
           example{"netint /prop Description=x",
                   "Setting properties of a network interface needs /node:NODE and "
                   "/network:NETWORK to name it."},
           example{"netint /node:n1 /net:Public /priv Foo=1",
                   "A network interface has no private properties to set."},
           example{"netint /node", "The '/node' option requires a value (/node:VALUE)."},
           example{"netint /net", "The '/network' option requires a value (/network:VALUE)."},
           example{"netint /net:A /network:B", "The '/network' option was given more than once."},
           example{"netint /rename:X", "The '/rename' option is not valid for 'netinterface'."},
           example{"netint /listint",
                   "The '/listinterfaces' option is not valid for "
                   "'netinterface'."},
           example{"group G /listint", "The '/listinterfaces' option is not valid for 'group'."},
           example{"/listint",
                   "The '/listinterfaces' option needs an object (node, group, "
                   "resource, restype, network or netinterface)."},
           example{"net /listnetpri", "The '/listnetpriority' option is not valid for 'network'."},
           example{"/listnetpri:Public",
                   "The '/listnetpriority' option does not take a value here."},
           example{"/setnetpri",
                   "The '/setnetpriority' option requires a value (/setnetpriority:VALUE)."},
           example{"/setnetpri:",
                   "The '/setnetpriority' option requires a value "
                   "(/setnetpriority:VALUE)."},
           example{"/setnetpri:Private,,Public",
                   "The '/setnetpriority' list has an empty network name."},
           example{"/setnetpri:Private /listnetpri",
                   "Only one command option may be given; got '/setnetpriority' and "
                   "'/listnetpriority'."},
           example{"/setnetpri:Private Public", "Unexpected parameter 'Public'."},
       }) {
    INFO(line);
    CHECK(error_of(line) == error);
  }
}
