// The frames of a forwarded request and of its answer (api_fwd, api_answer): a malformed one
// is answered with an error naming the member, and the node goes on (it used to throw out of
// the core, which ended clussvc).
#include <cstdint>
#include <string>
#include <variant>

#include <catch2/catch.hpp>

#include "forward_frame.hpp"
#include "multinode_support.hpp"
#include "wolfpack/sim/fake_cluster.hpp"

using namespace wolfpack::cluster;
using namespace wolfpack::cluster::sim;
using namespace wolfpack::cluster::testing;

namespace {

nlohmann::json good_forward() {
  return {{"type", "api_fwd"},
          {"fid", 7},
          {"method", "POST"},
          {"path", {"groups", "G", "online"}},
          {"query", {{"by", "id"}}},
          {"body", nullptr},
          {"hops", 1}};
}

std::string forward_problem(const nlohmann::json& frame) {
  const auto read = read_forwarded_request(frame);
  const auto* p = std::get_if<forward_frame_problem>(&read);
  return p == nullptr ? std::string() : p->message;
}

// node3 forwards an online of G (owned by node2); the frame is caught on its way, for the test
// to deliver a changed copy.
nlohmann::json caught_forward(fake_cluster& c, std::uint64_t& id) {
  make_group_online_on(c, 2);
  require_api(c, 2, "POST", "/groups/G/offline", nullptr, {200, 202});
  require_state(
      c, c.run_until([&] { return c.api(2, "GET", "/groups/G").body["state"] == "Offline"; }, 1000),
      "G offline");
  nlohmann::json caught;
  c.set_frame_filter([&](std::size_t from, std::size_t to, const nlohmann::json& frame) {
    if (!caught.is_null() || from != 3 || to != 2 || frame.value("type", "") != "api_fwd")
      return false;
    caught = frame;
    return true;
  });
  id = c.api_async(3, "POST", "/groups/G/online");
  require_state(c, c.run_until([&] { return !caught.is_null(); }, 1000), "node3 forwards to node2");
  c.set_frame_filter(nullptr);
  return caught;
}

}  // namespace

TEST_CASE("a forwarded request's frame is read with every member checked", "[node_core][forward]") {
  const auto read = read_forwarded_request(good_forward());
  REQUIRE(std::holds_alternative<forwarded_request>(read));
  const auto& f = std::get<forwarded_request>(read);
  CHECK(f.fid == 7);
  CHECK(f.hops == 1);
  CHECK(f.request.method == "POST");
  CHECK(f.request.path == std::vector<std::string>{"groups", "G", "online"});
  CHECK(f.request.query.at("by") == "id");

  auto with = [](const char* key, nlohmann::json value) {
    auto frame = good_forward();
    if (value.is_discarded())
      frame.erase(key);
    else
      frame[key] = std::move(value);
    return frame;
  };
  const auto gone = nlohmann::json(nlohmann::json::value_t::discarded);
  CHECK(forward_problem(with("method", 5)) ==
        "member 'method' must be a non-empty string, not a number (5)");
  CHECK(forward_problem(with("method", gone)) == "member 'method' is missing");
  CHECK(forward_problem(with("path", "groups/G")) ==
        "member 'path' must be an array of strings, not a string");
  CHECK(forward_problem(with("path", {"groups", 1})) ==
        "member 'path' must be an array of strings, not a number (1) in it");
  CHECK(forward_problem(with("query", {{"by", 1}})) ==
        "query parameter 'by' must be a string, not a number (1)");
  CHECK(forward_problem(with("hops", 0)) ==
        "member 'hops' must be a small positive integer, not a number (0)");
  // Without a readable fid the problem cannot be answered: no fid in it.
  const auto no_fid = read_forwarded_request(with("fid", "7"));
  REQUIRE(std::holds_alternative<forward_frame_problem>(no_fid));
  CHECK_FALSE(std::get<forward_frame_problem>(no_fid).fid.has_value());
  CHECK(std::get<forward_frame_problem>(no_fid).message ==
        "member 'fid' must be a positive integer, not a string");
  // An older sender sends no hop count and no query.
  auto old = good_forward();
  old.erase("hops");
  old.erase("query");
  REQUIRE(std::holds_alternative<forwarded_request>(read_forwarded_request(old)));

  const auto answer = read_forwarded_answer({{"fid", 3}, {"status", "200"}});
  REQUIRE(std::holds_alternative<forward_frame_problem>(answer));
  CHECK(std::get<forward_frame_problem>(answer).fid == 3u);
  CHECK(std::get<forward_frame_problem>(answer).message ==
        "member 'status' must be an HTTP status (100-599), not a string");
}

TEST_CASE("a malformed forwarded request is refused to its client and the owner goes on",
          "[multinode][forward]") {
  fake_cluster c(broken_frames_allowed());
  form(c);
  std::uint64_t id = 0;
  auto frame = caught_forward(c, id);
  frame["method"] = 5;
  c.node(2).deliver(in_peer_frame{3, std::make_shared<const nlohmann::json>(frame)});
  CHECK(c.node(2).logged("a request forwarded by node 3 is malformed: member 'method'"));
  require_state(c, c.run_until([&] { return c.find_response(3, id) != nullptr; }, 1000),
                "node3's client is answered");
  const auto* r = c.find_response(3, id);
  INFO(r->body.dump());
  CHECK(r->status == 400);
  CHECK(r->body["error"]["code"] == 87);  // ERROR_INVALID_PARAMETER
  CHECK(r->body["error"]["message"].get<std::string>().find("member 'method'") !=
        std::string::npos);
  // Nothing ran, and node2 still serves: the same request, well formed, brings G online.
  CHECK(c.api(2, "GET", "/groups/G").body["state"] == "Offline");
  frame["method"] = "POST";
  frame["fid"] = frame["fid"].get<std::uint64_t>() + 1000;  // answered to nobody: dropped
  c.node(2).deliver(in_peer_frame{3, std::make_shared<const nlohmann::json>(frame)});
  require_online_on(c, 2);
  // A frame without a fid cannot be answered: logged and dropped.
  frame.erase("fid");
  c.node(2).deliver(in_peer_frame{3, std::make_shared<const nlohmann::json>(frame)});
  CHECK(c.node(2).logged("member 'fid' is missing"));
  CHECK(c.running(2));
  check_safety(c);
}

TEST_CASE("a malformed answer to a forwarded request is an error for its client",
          "[multinode][forward]") {
  fake_cluster c(broken_frames_allowed());
  form(c);
  std::uint64_t id = 0;
  const auto frame = caught_forward(c, id);
  // node2 runs the request; its answer to node3 arrives broken.
  nlohmann::json answer;
  c.set_frame_filter([&](std::size_t from, std::size_t to, const nlohmann::json& f) {
    if (!answer.is_null() || from != 2 || to != 3 || f.value("type", "") != "api_answer")
      return false;
    answer = f;
    return true;
  });
  c.node(2).deliver(in_peer_frame{3, std::make_shared<const nlohmann::json>(frame)});
  require_state(c, c.run_until([&] { return !answer.is_null(); }, 2000), "node2 answers");
  answer["status"] = "200";
  c.node(3).deliver(in_peer_frame{2, std::make_shared<const nlohmann::json>(answer)});
  const auto* r = c.find_response(3, id);
  REQUIRE(r != nullptr);
  INFO(r->body.dump());
  CHECK(r->status == 500);
  CHECK(r->body["error"]["code"] == 13);  // ERROR_INVALID_DATA
  CHECK(r->body["error"]["message"].get<std::string>().find("node 2 ran the request") !=
        std::string::npos);
  CHECK(c.running(3));
  check_safety(c);
}
