#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <future>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#ifndef _WIN32
#include <stdlib.h>  // mkdtemp
#endif

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "test_server.hpp"
#include "wolfpack/http/http_client.hpp"

using namespace std::chrono_literals;
using nlohmann::json;
using wolfpack::endpoint;
using wolfpack::api::request;
using wolfpack::api::responder;
using wolfpack::api::response;
using wolfpack::http::client;
using wolfpack::http::encode_segment;
using wolfpack::test::raw_exchange;
using wolfpack::test::test_server;

namespace {

json describe(const request& r) {
  return {{"method", r.method}, {"path", r.path},     {"query", r.query},
          {"body", r.body},     {"remote", r.remote}, {"id", r.id}};
}

// Answers every request with what it saw.
void echo(request r, responder respond) {
  respond({200, describe(r)});
}

client connect(const test_server& server) {
  auto c = client::connect(server.where());
  REQUIRE(c.ok());
  return std::move(c).value();
}

json get_path(client& c, const std::string& target) {
  auto r = c.request("GET", target);
  REQUIRE(r.ok());
  REQUIRE(r->status == 200);
  return r->body["path"];
}

// Handlers run on the io thread; tests wait for them here, never by sleeping.
class parking {
 public:
  void park(responder r) {
    std::lock_guard lock(mutex_);
    parked_.push_back(std::move(r));
    changed_.notify_all();
  }
  bool wait_for_count(std::size_t count, std::chrono::milliseconds timeout = 10s) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, timeout, [&] { return parked_.size() >= count; });
  }
  // Call on the io thread.
  responder take(std::size_t index) {
    std::lock_guard lock(mutex_);
    return std::move(parked_.at(index));
  }
  // Call on the io thread: responders must not outlive the io_context of their server.
  void clear() {
    std::lock_guard lock(mutex_);
    parked_.clear();
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<responder> parked_;
};

}  // namespace

TEST_CASE("GET, POST, PUT and DELETE round-trip with JSON bodies", "[http]") {
  test_server server(echo);
  auto c = connect(server);
  const json body = {{"name", "File Server"}, {"nodes", {"node1", "node2"}}, {"n", 5}};

  for (const std::string method : {"GET", "POST", "PUT", "DELETE"}) {
    auto r = c.request(method, "/groups", &body);
    REQUIRE(r.ok());
    CHECK(r->status == 200);
    CHECK(r->body["method"] == method);
    CHECK(r->body["path"] == json{"groups"});
    CHECK(r->body["body"] == body);
  }

  SECTION("no body reaches the handler as null") {
    auto r = c.request("POST", "/groups/G/offline");
    REQUIRE(r.ok());
    CHECK(r->body["body"].is_null());
  }
  SECTION("unknown methods reach the handler") {
    auto r = c.request("FROB", "/cluster");
    REQUIRE(r.ok());
    CHECK(r->body["method"] == "FROB");
  }
  SECTION("request ids increase") {
    auto first = c.request("GET", "/a");
    auto second = c.request("GET", "/b");
    REQUIRE(first.ok());
    REQUIRE(second.ok());
    CHECK(second->body["id"].get<std::uint64_t>() > first->body["id"].get<std::uint64_t>());
  }
}

TEST_CASE("the handler's status and body come back as given", "[http]") {
  test_server server([](request r, responder respond) {
    if (r.path.at(0) == "nothing") {
      respond({204, nullptr});
    } else if (r.path.at(0) == "missing") {
      respond({404,
               {{"error",
                 {{"code", 5013}, {"name", "ERROR_GROUP_NOT_FOUND"}, {"message", "no such"}}}}});
    } else {
      respond({201, json::array({1, 2, 3})});
    }
  });
  auto c = connect(server);

  auto none = c.request("DELETE", "/nothing");
  REQUIRE(none.ok());
  CHECK(none->status == 204);
  CHECK(none->body.is_null());

  auto missing = c.request("GET", "/missing");
  REQUIRE(missing.ok());
  CHECK(missing->status == 404);
  CHECK(missing->body["error"]["code"] == 5013);

  auto created = c.request("POST", "/created");
  REQUIRE(created.ok());
  CHECK(created->status == 201);
  CHECK(created->body == json::array({1, 2, 3}));

  const auto raw = raw_exchange(server.where(), "GET /created HTTP/1.1\r\nHost: t\r\n\r\n");
  CHECK(raw.headers.find("Content-Type: application/json") != std::string::npos);
}

TEST_CASE("path segments and query parameters are percent-decoded", "[http]") {
  test_server server(echo);
  auto c = connect(server);

  CHECK(get_path(c, "/groups/File%20Server/online") == json{"groups", "File Server", "online"});
  SECTION("%2F stays inside its segment") {
    CHECK(get_path(c, "/resources/a%2Fb/x") == json{"resources", "a/b", "x"});
  }
  SECTION("unicode names round-trip through encode_segment") {
    const std::string name = "Disque Q \xC3\xA9t\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x90\xBA";
    CHECK(get_path(c, "/groups/" + encode_segment(name)) == json{"groups", name});
    const std::string odd = "50% off/+?#&=";
    CHECK(get_path(c, "/groups/" + encode_segment(odd)) == json{"groups", odd});
  }
  SECTION("'+' is literal in the path") {
    CHECK(get_path(c, "/groups/a+b") == json{"groups", "a+b"});
  }
  SECTION("a trailing slash adds no segment; the root has none") {
    CHECK(get_path(c, "/groups/") == json{"groups"});
    CHECK(get_path(c, "/") == json::array());
  }
  SECTION("query parameters") {
    auto r = c.request("GET", "/resources?since=5&name=Disk%20Q&x=c+d&flag");
    REQUIRE(r.ok());
    CHECK(r->body["path"] == json{"resources"});
    CHECK(r->body["query"] == json{{"since", "5"}, {"name", "Disk Q"}, {"x", "c d"}, {"flag", ""}});
  }
}

TEST_CASE("a target with bad percent-encoding is answered 400 without the handler", "[http]") {
  std::atomic<int> calls{0};
  test_server server([&](request r, responder respond) {
    ++calls;
    echo(std::move(r), std::move(respond));
  });
  auto c = connect(server);

  for (const std::string target : {"/groups/%zz", "/groups/abc%4", "/groups/a%00b", "/x?a=%g1"}) {
    INFO(target);
    auto r = c.request("GET", target);
    REQUIRE(r.ok());
    CHECK(r->status == 400);
    CHECK(r->body["error"]["code"] == 87);
    CHECK(r->body["error"]["name"] == "ERROR_INVALID_PARAMETER");
  }
  CHECK(calls == 0);
  // The connection is still good.
  auto fine = c.request("GET", "/groups");
  REQUIRE(fine.ok());
  CHECK(fine->status == 200);
  CHECK(calls == 1);
}

TEST_CASE("a body over 1 MiB is answered 400 without the handler", "[http]") {
  std::atomic<int> calls{0};
  test_server server([&](request r, responder respond) {
    ++calls;
    respond({200, {{"size", r.body.dump().size()}}});
  });
  auto c = connect(server);

  const json big = {{"data", std::string(1100 * 1024, 'x')}};
  auto r = c.request("PUT", "/resources/R/private", &big);
  REQUIRE(r.ok());
  CHECK(r->status == 400);
  CHECK(r->body["error"]["code"] == 87);
  CHECK(r->body["error"]["message"] == "request body exceeds 1048576 bytes");
  CHECK(calls == 0);

  SECTION("the client goes on, on a new connection") {
    const json fits = {{"data", std::string(1000 * 1024, 'y')}};
    auto ok = c.request("PUT", "/resources/R/private", &fits);
    REQUIRE(ok.ok());
    CHECK(ok->status == 200);
    CHECK(calls == 1);
  }
  SECTION("announced by Content-Length alone, answered before the body is sent") {
    const auto raw = raw_exchange(server.where(),
                                  "POST /groups HTTP/1.1\r\nHost: t\r\nContent-Length: 2000000\r\n"
                                  "Expect: 100-continue\r\n\r\n");
    CHECK(raw.status == 400);
    CHECK(json::parse(raw.body)["error"]["code"] == 87);
    CHECK(calls == 0);
  }
}

TEST_CASE("a body that is not JSON is answered 400 without the handler", "[http]") {
  std::atomic<int> calls{0};
  test_server server([&](request r, responder respond) {
    ++calls;
    echo(std::move(r), std::move(respond));
  });

  const auto raw = raw_exchange(server.where(),
                                "POST /groups HTTP/1.1\r\nHost: t\r\nContent-Type: application/json"
                                "\r\nContent-Length: 9\r\n\r\n{\"name\":}");
  CHECK(raw.status == 400);
  const auto body = json::parse(raw.body);
  CHECK(body["error"]["code"] == 87);
  CHECK(body["error"]["name"] == "ERROR_INVALID_PARAMETER");
  const std::string message = body["error"]["message"];
  CHECK(message.rfind("request body is not valid JSON: ", 0) == 0);
  CHECK(message.find("[json.exception") == std::string::npos);

  SECTION("no Content-Type is needed for a good body") {
    const auto good = raw_exchange(
        server.where(),
        "POST /groups HTTP/1.1\r\nHost: t\r\nContent-Length: 12\r\n\r\n{\"name\":\"G\"}");
    CHECK(good.status == 200);
    CHECK(json::parse(good.body)["body"] == json{{"name", "G"}});
    CHECK(calls == 1);
  }
  SECTION("malformed HTTP is answered 400") {
    const auto bad = raw_exchange(server.where(), "NOT HTTP AT ALL\r\n\r\n");
    CHECK(bad.status == 400);
    CHECK(calls == 0);
  }
  SECTION("oversized headers are answered 431") {
    const auto bad =
        raw_exchange(server.where(),
                     "GET / HTTP/1.1\r\nHost: t\r\nX-Big: " + std::string(20000, 'h') + "\r\n\r\n");
    CHECK(bad.status == 431);
    CHECK(calls == 0);
  }
  CHECK(calls <= 1);
}

TEST_CASE("a handler may answer later, from the io thread", "[http]") {
  parking parked;
  test_server server([&](request, responder respond) { parked.park(std::move(respond)); });
  server.on_teardown([&] { parked.clear(); });

  auto pending = std::async(std::launch::async, [&] {
    auto c = connect(server);
    return c.request("POST", "/groups/G/online");
  });
  REQUIRE(parked.wait_for_count(1));
  CHECK(pending.wait_for(0ms) == std::future_status::timeout);

  server.on_io([&] { parked.take(0)({202, {{"state", "Pending"}, {"code", 4}}}); });
  REQUIRE(pending.wait_for(10s) == std::future_status::ready);
  auto r = pending.get();
  REQUIRE(r.ok());
  CHECK(r->status == 202);
  CHECK(r->body["state"] == "Pending");
}

TEST_CASE("a request the handler drops or throws on is answered 500", "[http]") {
  test_server server([](request r, responder respond) {
    if (r.path.at(0) == "drop") {
      return;  // the last copy of the responder goes here
    }
    if (r.path.at(0) == "twice") {
      respond({200, {{"first", true}}});
      respond({500, {{"second", true}}});
      return;
    }
    throw std::runtime_error("boom");
  });
  auto c = connect(server);

  auto dropped = c.request("GET", "/drop");
  REQUIRE(dropped.ok());
  CHECK(dropped->status == 500);
  CHECK(dropped->body["error"]["name"] == "ERROR_INTERNAL_ERROR");

  auto threw = c.request("GET", "/throw");
  REQUIRE(threw.ok());
  CHECK(threw->status == 500);
  CHECK(threw->body["error"]["message"] == "internal error: boom");

  auto twice = c.request("GET", "/twice");
  REQUIRE(twice.ok());
  CHECK(twice->status == 200);
  CHECK(twice->body["first"] == true);
  // Still in step: the second answer was not sent as the next response.
  auto again = c.request("GET", "/drop");
  REQUIRE(again.ok());
  CHECK(again->status == 500);
}

TEST_CASE("several requests share one kept-alive connection", "[http]") {
  test_server server(echo);
  auto c = connect(server);
  std::string remote;
  for (int n = 0; n < 10; ++n) {
    const json body = {{"n", n}};
    auto r = c.request("PUT", "/cluster/properties", &body);
    REQUIRE(r.ok());
    CHECK(r->body["body"]["n"] == n);
    if (n == 0) {
      remote = r->body["remote"];
      CHECK(remote.rfind("127.0.0.1:", 0) == 0);
    } else {
      CHECK(r->body["remote"] == remote);
    }
  }
  CHECK(server.connection_count() == 1);
}

TEST_CASE("the client reconnects when the server closed an idle connection", "[http]") {
  wolfpack::api::server_options options;
  options.idle_timeout = 50ms;
  test_server server(echo, options);
  auto c = connect(server);
  auto first = c.request("GET", "/cluster");
  REQUIRE(first.ok());
  REQUIRE(server.wait_on_io([](auto& s) { return s.connection_count() == 0; }));

  auto second = c.request("GET", "/cluster");
  REQUIRE(second.ok());
  CHECK(second->status == 200);
  CHECK(second->body["remote"] != first->body["remote"]);
}

#ifndef _WIN32
TEST_CASE("requests and events also work over a Unix socket", "[http]") {
  std::string dir = (std::filesystem::temp_directory_path() / "wp-http-XXXXXX").string();
  REQUIRE(::mkdtemp(dir.data()) != nullptr);
  const auto path = dir + "/api.sock";
  {
    test_server server(echo, {}, endpoint::unix_socket(path));
    CHECK(server.where() == endpoint::unix_socket(path));
    auto c = connect(server);
    const json body = {{"name", "G"}};
    auto r = c.request("POST", "/groups", &body);
    REQUIRE(r.ok());
    CHECK(r->body["body"] == body);
    CHECK(r->body["remote"] == "unix");

    auto events = wolfpack::http::event_stream::open(server.where());
    REQUIRE(events.ok());
    server.broadcast({{"seq", 1}});
    auto e = events->next(10s);
    REQUIRE(e.has_value());
    CHECK((*e)["seq"] == 1);
  }
  std::filesystem::remove_all(dir);
}
#endif

TEST_CASE("50 concurrent clients are served", "[http]") {
  test_server server(echo);
  constexpr int clients = 50;
  constexpr int requests = 20;
  std::atomic<int> good{0};
  std::mutex errors_mutex;
  std::vector<std::string> errors;

  std::vector<std::thread> threads;
  for (int i = 0; i < clients; ++i) {
    threads.emplace_back([&, i] {
      auto c = client::connect(server.where());
      if (!c) {
        std::lock_guard lock(errors_mutex);
        errors.push_back(c.error());
        return;
      }
      for (int n = 0; n < requests; ++n) {
        const json body = {{"client", i}, {"n", n}};
        auto r = c->request("POST", "/groups/" + std::to_string(i), &body, 20s);
        if (!r || r->status != 200 || r->body["body"] != body ||
            r->body["path"] != json{"groups", std::to_string(i)}) {
          std::lock_guard lock(errors_mutex);
          errors.push_back(r ? r->body.dump() : r.error());
          return;
        }
        ++good;
      }
    });
  }
  for (auto& t : threads) {
    t.join();
  }
  CHECK(errors.empty());
  CHECK(good == clients * requests);
}

TEST_CASE("transport failures come back as clear messages", "[http]") {
  std::uint16_t port = 0;
  {
    test_server gone(echo);
    port = gone.where().port;
  }
  const auto expected =
      "cannot connect to 127.0.0.1:" + std::to_string(port) + ": connection refused";

  SECTION("connection refused") {
    auto c = client::connect(endpoint::tcp("127.0.0.1", port));
    REQUIRE_FALSE(c.ok());
    CHECK(c.error() == expected);
  }
  SECTION("the server went away between requests") {
    auto server = std::make_unique<test_server>(echo);
    auto c = connect(*server);
    REQUIRE(c.request("GET", "/cluster").ok());
    server.reset();
    auto r = c.request("GET", "/cluster", nullptr, 5s);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().rfind("cannot connect to 127.0.0.1:", 0) == 0);
  }
  SECTION("no answer within the timeout") {
    parking parked;
    test_server server([&](request, responder respond) { parked.park(std::move(respond)); });
    server.on_teardown([&] { parked.clear(); });
    auto c = connect(server);
    const auto start = std::chrono::steady_clock::now();
    auto r = c.request("POST", "/groups/G/online", nullptr, 200ms);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error() == "POST /groups/G/online to 127.0.0.1:" + std::to_string(server.where().port) +
                           ": no response within 200 ms");
    CHECK(std::chrono::steady_clock::now() - start < 5s);
    REQUIRE(parked.wait_for_count(1));
    // An answer after the client gave up goes nowhere, harmlessly.
    server.on_io([&] { parked.take(0)({200, nullptr}); });
    auto after = c.request("GET", "/groups", nullptr, 200ms);
    CHECK_FALSE(after.ok());  // parked too, on a new connection
  }
}

TEST_CASE("close() ends connections and requests in flight", "[http]") {
  parking parked;
  test_server server([&](request, responder respond) { parked.park(std::move(respond)); });
  server.on_teardown([&] { parked.clear(); });
  auto pending = std::async(std::launch::async, [&] {
    auto c = connect(server);
    return c.request("GET", "/cluster", nullptr, 10s);
  });
  REQUIRE(parked.wait_for_count(1));
  server.close();
  REQUIRE(pending.wait_for(10s) == std::future_status::ready);
  auto r = pending.get();
  CHECK_FALSE(r.ok());
  // A late answer is a no-op.
  server.on_io([&] { parked.take(0)({200, nullptr}); });
  CHECK(server.connection_count() == 0);
}

TEST_CASE("GET /events without an upgrade is answered 426", "[http]") {
  std::atomic<int> calls{0};
  test_server server([&](request r, responder respond) {
    ++calls;
    echo(std::move(r), std::move(respond));
  });
  auto c = connect(server);
  auto r = c.request("GET", "/events");
  REQUIRE(r.ok());
  CHECK(r->status == 426);
  CHECK(calls == 0);
}
