#include <string>

#include <catch2/catch.hpp>

#include "transport_fixture.hpp"
#include "wire.hpp"

using namespace wolfpack::cluster_transport;
using namespace wolfpack::cluster_transport::test;

namespace {

// Node 2 refuses node 1's connection; node 1 learns why, and no frame gets through.
std::string refusal_reason(node_pair& nodes) {
  REQUIRE(nodes.start_a);
  REQUIRE(nodes.start_b);
  nodes.a->send(2, {{"type", "hi"}});
  REQUIRE(run_until(nodes.io, [&] { return nodes.events_a.downs() == 1; }));
  CHECK(nodes.events_a.ups() == 0);
  CHECK(nodes.events_b.frames.empty());
  return *nodes.events_a.last_down_reason();
}

}  // namespace

TEST_CASE("a node with another secret is refused", "[cluster_transport]") {
  node_pair nodes(config_for(1, "lab", std::string(32, 'x')), config_for(2));
  const auto reason = refusal_reason(nodes);
  CHECK_THAT(reason, Catch::Contains("authentication failed"));
  CHECK_THAT(reason, Catch::Contains("code 5)"));
  CHECK(nodes.events_b.logged("warn", "refused connection"));
}

TEST_CASE("a node of another cluster is refused with 5893", "[cluster_transport]") {
  node_pair nodes(config_for(1, "other-lab"), config_for(2));
  const auto reason = refusal_reason(nodes);
  CHECK_THAT(reason, Catch::Contains("5893"));
  CHECK_THAT(reason, Catch::Contains("other-lab"));
}

TEST_CASE("a node of another protocol version is refused with 5075", "[cluster_transport]") {
  auto config_a = config_for(1);
  config_a.protocol_version = 1;
  node_pair nodes(config_a, config_for(2));
  CHECK_THAT(refusal_reason(nodes), Catch::Contains("5075"));
}

TEST_CASE("a hello with a bad MAC is refused and what follows is ignored", "[cluster_transport]") {
  node_pair nodes;
  REQUIRE(nodes.start_b);
  raw_client client(nodes.io, nodes.b->port());
  REQUIRE(client.channel);
  auto hello = make_hello(
      {"lab", 1, transport_config{}.protocol_version, "00112233445566778899aabbccddeeff"},
      "not the secret!!");
  client.channel->send(hello);
  // A forger guessing at the session: whatever it sends is not read.
  wolfpack::platform::hmac_sha256_key wrong_key("not the secret!!");
  client.channel->send_binary(make_peer_frame(wrong_key,
                                              {"aa", hello["nonce_d"].get<std::string>()}, 1,
                                              dump_compact({{"type", "forged"}})));

  REQUIRE(run_until(nodes.io, [&] { return client.seen->closed.has_value(); }));
  REQUIRE(client.seen->received.size() == 1);
  CHECK(client.seen->received[0]["type"] == "refused");
  CHECK(client.seen->received[0]["code"] == 5);
  CHECK(*client.seen->closed == "closed by peer");
  CHECK(nodes.events_b.frames.empty());
  CHECK(nodes.events_b.logged("warn", "authentication failed"));
}

TEST_CASE("an acceptor without the secret is refused by the dialler", "[cluster_transport]") {
  boost::asio::io_context io;
  auto acceptor = wolfpack::listen_on(io, wolfpack::endpoint::tcp("127.0.0.1", 0));
  REQUIRE(acceptor);
  std::shared_ptr<wolfpack::framed_channel> fake;
  acceptor->async_accept([&](const boost::system::error_code& ec, wolfpack::stream_socket s) {
    if (ec) {
      return;
    }
    fake = wolfpack::framed_channel::create(std::move(s), "fake acceptor");
    // Answers any hello with a welcome it cannot sign.
    fake->start(
        [&](json hello) {
          fake->send(make_welcome("lab", {"ab", hello.value("nonce_d", "")}, "guessed secret!!"));
        },
        [](const std::string&) {});
  });

  recorder events;
  peer_transport a(io, config_for(1), events.handlers());
  REQUIRE(a.start());
  a.set_peer(2, "127.0.0.1", wolfpack::local_endpoint_of(*acceptor)->port);
  a.send(2, {{"type", "secret stuff"}});
  REQUIRE(run_until(io, [&] { return events.downs() == 1; }));
  CHECK(events.ups() == 0);
  CHECK_THAT(*events.last_down_reason(), Catch::Contains("authentication failed"));
  if (fake) {
    fake->close();
  }
}

TEST_CASE("a frame failing its check closes the connection", "[cluster_transport]") {
  node_pair nodes;
  REQUIRE(nodes.start_b);
  raw_client client(nodes.io, nodes.b->port());
  REQUIRE(client.channel);
  // A correct handshake, as node 1 would do it.
  session_nonces nonces{"", "0123456789abcdef0123456789abcdef"};
  client.channel->send(
      make_hello({"lab", 1, transport_config{}.protocol_version, nonces.nonce_d}, lab_secret));
  REQUIRE(run_until(nodes.io, [&] { return client.seen->received.size() == 1; }));
  auto nonce_a = check_welcome(client.seen->received[0], "lab", nonces.nonce_d, lab_secret);
  REQUIRE(nonce_a);
  nonces.nonce_a = *nonce_a;
  wolfpack::platform::hmac_sha256_key key(lab_secret);
  client.channel->send_binary(make_peer_frame(key, nonces, 1, dump_compact({{"type", "one"}})));
  REQUIRE(run_until(nodes.io, [&] { return nodes.events_b.frames.size() == 1; }));
  CHECK(nodes.events_b.frames[0] == std::pair<std::uint32_t, json>{1, {{"type", "one"}}});

  std::string expected_log;
  SECTION("tampered body") {
    auto frame = make_peer_frame(key, nonces, 2, dump_compact({{"type", "twa"}}));
    frame[frame.size() - 3] = 'o';  // {"type":"two"}
    client.channel->send_binary(frame);
    expected_log = "wrong MAC";
  }
  SECTION("tampered counter") {
    auto frame = make_peer_frame(key, nonces, 1, dump_compact({{"type", "two"}}));
    frame[8] = 2;  // the counter's last byte: frame 1 passed off as frame 2
    client.channel->send_binary(frame);
    expected_log = "wrong MAC";
  }
  SECTION("replayed frame") {
    client.channel->send_binary(make_peer_frame(key, nonces, 1, dump_compact({{"type", "one"}})));
    expected_log = "expected 2";
  }
  SECTION("truncated frame") {
    auto frame = make_peer_frame(key, nonces, 2, "");
    frame.resize(peer_frame_header_bytes - 1);
    client.channel->send_binary(frame);
    expected_log = "malformed frame";
  }
  SECTION("a JSON message where a peer frame belongs") {
    client.channel->send({{"type", "peer"}, {"ctr", 2}, {"body", "{}"}, {"mac", "00"}});
    expected_log = "where a peer frame was expected";
  }
  SECTION("forged rename") {
    auto rename = make_rename(nonces, 2, 3, lab_secret);
    rename["node"] = 4;
    client.channel->send(rename);
    expected_log = "wrong MAC";
  }
  SECTION("frame of another session") {
    session_nonces other{"ffff", nonces.nonce_d};
    client.channel->send_binary(make_peer_frame(key, other, 2, dump_compact({{"type", "two"}})));
    expected_log = "wrong MAC";
  }
  // Nothing after the bad frame is delivered either.
  client.channel->send_binary(make_peer_frame(key, nonces, 3, dump_compact({{"type", "three"}})));
  REQUIRE(run_until(nodes.io, [&] { return client.seen->closed.has_value(); }));
  CHECK(nodes.events_b.frames.size() == 1);
  CHECK(nodes.events_b.logged("warn", expected_log));
}

TEST_CASE("after a rename, nodes that share a name of the cluster talk both ways",
          "[cluster_transport]") {
  // node2 applied SetClusterName (lab -> prod); node1 has not yet, or was started with "lab"
  // while the others renamed the cluster. Each side's hellos and heartbeats carry every name
  // it knows, so each finds one it knows too.
  node_pair nodes(config_for(1, "lab"), config_for(2, "lab"));
  REQUIRE(nodes.start_a);
  REQUIRE(nodes.start_b);
  nodes.b->set_cluster_names("prod", {"lab"});
  CHECK(nodes.events_b.logged("info", "the cluster is now called 'prod' (was 'lab')"));
  REQUIRE(nodes.connect_both());
  nodes.a->send_heartbeat(2, {{"n", 1}});
  nodes.b->send_heartbeat(1, {{"n", 2}});
  REQUIRE(run_until(nodes.io, [&] {
    return nodes.events_b.heartbeats.size() == 1 && nodes.events_a.heartbeats.size() == 1;
  }));
  CHECK(nodes.a->dropped_datagrams() == 0);
  CHECK(nodes.b->dropped_datagrams() == 0);

  // A node that knows only "prod" takes node2's hello; node1 and it share no name.
  recorder events_c;
  peer_transport c(nodes.io, config_for(3, "PROD"), events_c.handlers());
  REQUIRE(c.start());
  nodes.b->set_peer(3, "127.0.0.1", c.port());
  nodes.b->send(3, {{"type", "from node2"}});
  REQUIRE(run_until(nodes.io, [&] { return events_c.frames.size() == 1; }));
  CHECK(events_c.frames[0].first == 2);
  nodes.a->set_peer(3, "127.0.0.1", c.port());
  nodes.a->send(3, {{"type", "from node1"}});
  REQUIRE(run_until(nodes.io, [&] { return nodes.events_a.downs() == 1; }));
  CHECK_THAT(*nodes.events_a.last_down_reason(), Catch::Contains("5893"));
  CHECK(events_c.frames.size() == 1);

  // The names are checked as the MAC covers them: another cluster is refused, and earlier
  // names added by someone without the secret fail the MAC.
  const auto version = transport_config{}.protocol_version;
  CHECK(names_cluster({"prod", "lab"}, "LAB"));
  CHECK_FALSE(names_cluster({"prod", "lab"}, "other"));
  CHECK(names_cluster({"prod"}, "lab", {"x", "PROD"}));
  auto other = make_hello({"other", 1, version, "00"}, "secret");
  const auto refused = check_hello(other, {"prod", "lab"}, version, "secret");
  REQUIRE(std::holds_alternative<refusal>(refused));
  CHECK(std::get<refusal>(refused).code == 5893);
  auto renamed = make_hello({"prod", 1, version, "00", {"lab"}}, "secret");
  CHECK(std::holds_alternative<hello>(check_hello(renamed, {"lab"}, version, "secret")));
  auto forged = make_hello({"other", 1, version, "00"}, "secret");
  forged["aka"] = json::array({"lab"});
  const auto forged_refused = check_hello(forged, {"lab"}, version, "secret");
  REQUIRE(std::holds_alternative<refusal>(forged_refused));
  CHECK(std::get<refusal>(forged_refused).code == 5);
}

TEST_CASE("a node with other heartbeat settings is refused with 5075, naming both",
          "[cluster_transport]") {
  auto config_a = config_for(1);
  config_a.heartbeat_ms = 200;
  config_a.threshold = 5;
  auto config_b = config_for(2);
  config_b.heartbeat_ms = 100;
  config_b.threshold = 5;
  node_pair nodes(config_a, config_b);
  const auto reason = refusal_reason(nodes);
  CHECK_THAT(reason, Catch::Contains("5075"));
  CHECK_THAT(reason, Catch::Contains("every 200 ms with threshold 5"));
  CHECK_THAT(reason, Catch::Contains("every 100 ms with threshold 5"));
  CHECK(nodes.events_b.logged("warn", "incompatible heartbeat settings"));

  // The same settings pass; the settings are under the MAC.
  const auto version = transport_config{}.protocol_version;
  auto same = make_hello({"lab", 1, version, "00", {}, 100, 5}, "secret");
  CHECK(std::holds_alternative<hello>(check_hello(same, {"lab"}, version, "secret", 100, 5)));
  same["timing"] = json::array({100, 10});
  const auto tampered = check_hello(same, {"lab"}, version, "secret", 100, 10);
  REQUIRE(std::holds_alternative<refusal>(tampered));
  CHECK(std::get<refusal>(tampered).code == 5);
  auto bad = make_hello({"lab", 1, version, "00"}, "secret");
  bad["timing"] = "fast";
  const auto malformed = check_hello(bad, {"lab"}, version, "secret", 100, 5);
  REQUIRE(std::holds_alternative<refusal>(malformed));
  CHECK(std::get<refusal>(malformed).code == 13);
}
