#include "wolfpack/cluster_cli/help_text.hpp"

namespace wolfpack::cluster_cli {
namespace {

constexpr std::string_view cluster_help = R"(The syntax of this command is:

CLUSTER /LIST
CLUSTER [[/CLUSTER:]cluster] /PROP[ERTIES] [<prop-list>]
CLUSTER [[/CLUSTER:]cluster] /PRIV[PROPERTIES] [<prop-list>]
CLUSTER [[/CLUSTER:]cluster] /PROP[ERTIES]:name[,name ...] /USEDEFAULT
CLUSTER [[/CLUSTER:]cluster] /QUORUM[RESOURCE][:resource-name]
CLUSTER [[/CLUSTER:]cluster] /QUORUM[RESOURCE] /NODEMAJORITY
CLUSTER [[/CLUSTER:]cluster] /VER[SION]
CLUSTER [[/CLUSTER:]cluster] /LISTNETPRI[ORITY]
CLUSTER [[/CLUSTER:]cluster] /SETNETPRI[ORITY]:network-name[,network-name ...]
CLUSTER [[/CLUSTER:]cluster] /REN[AME]:new-cluster-name
CLUSTER [[/CLUSTER:]cluster] /ADD[NODES]:node-name[,node-name ...]
CLUSTER [[/CLUSTER:]cluster] NODE [node-name] node-command
CLUSTER [[/CLUSTER:]cluster] GROUP [group-name] group-command
CLUSTER [[/CLUSTER:]cluster] RES[OURCE] [resource-name] resource-command
CLUSTER [[/CLUSTER:]cluster] {RESOURCETYPE|RESTYPE} [display-name] resourcetype-command
CLUSTER [[/CLUSTER:]cluster] NET[WORK] [network-name] network-command
CLUSTER [[/CLUSTER:]cluster] NETINT[ERFACE] [/NODE:node-name /NET[WORK]:network-name]
        netinterface-command

cluster = a name registered in $WOLFPACK_HOME/clusters/NAME.json, or HOST:PORT of a
          node's API. Without one, $WOLFPACK_CLUSTER is used.

<prop-list> =
  name=value[,value ...][:<format>] [name=value[,value ...][:<format>] ...]

<format> =
  BINARY|DWORD|STR[ING]|EXPANDSTR[ING]|MULTISTR[ING]|ULARGE

/QUORUM shows the quorum configuration; /QUORUM:resource-name makes that resource the
quorum witness (node and witness majority); /QUORUM /NODEMAJORITY removes the witness.

/LISTNETPRI shows the order in which internal networks carry cluster traffic;
/SETNETPRI sets it, naming every internal network once, first to last.

/RENAME renames the cluster (a lab's registration follows). /ADDNODES starts lab nodes that
are not members (evicted and cleaned up, or new) and joins them to the cluster.

Options may start with - as well as /. Add /JSON to any command to print the API's JSON.

CLUSTER NODE /?   CLUSTER GROUP /?   CLUSTER RES /?   CLUSTER RESTYPE /?
CLUSTER NET /?    CLUSTER NETINT /?
)";

constexpr std::string_view node_help = R"(The syntax of this command is:

CLUSTER [[/CLUSTER:]cluster] NODE <options>

<options> =
  [node-name] [/STAT[US]]
  [node-name] /PAUSE
  [node-name] /RESUME
  [node-name] /EVICT
  [node-name] /STOP [/WAIT[:timeout-seconds]]
  node-name /START [/WAIT[:timeout-seconds]]
  node-name /FORCECLEANUP [/WAIT[:timeout-seconds]]
  [node-name] /LISTINT[ERFACES]
  [node-name] /PROP[ERTIES] [<prop-list>]
  [node-name] /PRIV[PROPERTIES] [<prop-list>]
  node-name /PROP[ERTIES]:propname[,propname ...] /USEDEFAULT
  node-name /PRIV[PROPERTIES]:propname[,propname ...] /USEDEFAULT

Without a node name, /PAUSE, /RESUME, /EVICT, /STOP and /LISTINT act on the node that
answers. /STOP stops the node's cluster service (its groups go offline and move on); /WAIT
waits until the node is Down. /START starts the cluster service of a node of a lab (a cluster
registered by wolfpack up) through the lab launcher, and waits until it is Up (60 seconds, or
/WAIT's). /FORCECLEANUP makes an evicted lab node forget the cluster (its service stops, its
database goes) so that CLUSTER /ADD can add it again.
)";

constexpr std::string_view group_help = R"(The syntax of this command is:

CLUSTER [[/CLUSTER:]cluster] GROUP <options>

<options> =
  [group-name] [/STAT[US]] [/NODE:node-name]
  [group-name] /PROP[ERTIES] [<prop-list>]
  [group-name] /PRIV[PROPERTIES] [<prop-list>]
  group-name /PROP[ERTIES]:propname[,propname ...] /USEDEFAULT
  group-name /CREATE
  group-name /DELETE
  group-name /REN[AME]:new-group-name
  group-name /MOVE[TO][:node-name] [/WAIT[:timeout-seconds]]
  group-name /ON[LINE][:node-name] [/WAIT[:timeout-seconds]]
  group-name /OFF[LINE] [/WAIT[:timeout-seconds]]
  group-name /LISTOWNERS
  group-name /SETOWNERS:node-name[,node-name ...]
)";

constexpr std::string_view resource_help = R"(The syntax of this command is:

CLUSTER [[/CLUSTER:]cluster] RES[OURCE] <options>

<options> =
  [resource-name] [/STAT[US]] [/NODE:node-name]
  [resource-name] /PROP[ERTIES] [<prop-list>]
  [resource-name] /PRIV[PROPERTIES] [<prop-list>]
  resource-name /PROP[ERTIES]:propname[,propname ...] /USEDEFAULT
  resource-name /PRIV[PROPERTIES]:propname[,propname ...] /USEDEFAULT
  resource-name /CREATE /GROUP:group-name /TYPE:res-type [/SEPARATE]
  resource-name /DELETE
  resource-name /REN[AME]:new-name
  resource-name /ADDOWNER:node-name
  resource-name /REMOVEOWNER:node-name
  resource-name /LISTOWNERS
  resource-name /MOVE[TO]:group
  resource-name /FAIL
  resource-name /MAINT[ENANCEMODE][:ON|OFF]
  resource-name /ON[LINE] [/WAIT[:timeout-seconds]]
  resource-name /OFF[LINE] [/WAIT[:timeout-seconds]]
  resource-name /LISTDEP[ENDENCIES]
  resource-name /ADDDEP[ENDENCY]:resource
  resource-name /REMOVEDEP[ENDENCY]:resource
)";

constexpr std::string_view restype_help = R"(The syntax of this command is:

CLUSTER [[/CLUSTER:]cluster] {RESOURCETYPE|RESTYPE} <options>

<options> =
  [display-name] [/LIST]
  [display-name] /PROP[ERTIES] [<prop-list>]
  [display-name] /PRIV[PROPERTIES] [<prop-list>]
  display-name /PROP[ERTIES]:propname[,propname ...] /USEDEFAULT
  display-name /CREATE /DLL[NAME]:dllname [/TYPE:type-name]
               [/ISALIVE:interval-millisec] [/LOOKSALIVE:interval-millisec]
  display-name /DELETE
  type-name /DELETE /TYPE
  display-name /LISTOWNERS
)";

constexpr std::string_view network_help = R"(The syntax of this command is:

CLUSTER [[/CLUSTER:]cluster] NET[WORK] <options>

<options> =
  [network-name] [/STAT[US]]
  [network-name] /PROP[ERTIES] [<prop-list>]
  [network-name] /PRIV[PROPERTIES]
  network-name /PROP[ERTIES]:propname[,propname ...] /USEDEFAULT
  network-name /REN[AME]:new-network-name
  network-name /LISTINT[ERFACES]

Networks have no private properties; /PRIV lists none.
)";

constexpr std::string_view netinterface_help = R"(The syntax of this command is:

CLUSTER [[/CLUSTER:]cluster] NETINT[ERFACE] <options>

<options> =
  [/NODE:node-name] [/NET[WORK]:network-name] [/STAT[US]]
  [/NODE:node-name /NET[WORK]:network-name] /PROP[ERTIES]
  /NODE:node-name /NET[WORK]:network-name /PROP[ERTIES] <prop-list>
  /NODE:node-name /NET[WORK]:network-name /PROP[ERTIES]:propname[,propname ...] /USEDEFAULT
  [/NODE:node-name /NET[WORK]:network-name] /PRIV[PROPERTIES]

An interface is named by its node and its network. /STAT[US] with only one of them lists
the interfaces of that node or on that network. Interfaces have no private properties.
)";

}  // namespace

std::string_view help_text(object_kind object) {
  switch (object) {
    case object_kind::cluster:
      return cluster_help;
    case object_kind::node:
      return node_help;
    case object_kind::group:
      return group_help;
    case object_kind::resource:
      return resource_help;
    case object_kind::resource_type:
      return restype_help;
    case object_kind::network:
      return network_help;
    case object_kind::netinterface:
      return netinterface_help;
  }
  return cluster_help;
}

}  // namespace wolfpack::cluster_cli
