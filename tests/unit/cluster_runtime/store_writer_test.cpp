// The database writer of clussvc: writes on its own thread in the order they were queued,
// commits that queue up while it is busy go to disk in one transaction, a replacement comes
// after the commits before it, and a failed commit reports its seqs with the error.
#include <condition_variable>
#include <mutex>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "../cluster_db/db_test_support.hpp"
#include "store_writer.hpp"
#include "wolfpack/cluster_store/sqlite_store.hpp"

using wolfpack::status;
using wolfpack::typed_value;
using wolfpack::cluster::db_op;
using wolfpack::cluster::db_tree;
using wolfpack::cluster::db_update;
using wolfpack::cluster::sqlite_store;
using wolfpack::runtime::store_writer;

namespace {

sqlite_store open_store(const std::filesystem::path& path) {
  auto store = sqlite_store::open(path);
  REQUIRE(store);
  return std::move(store).value();
}

std::vector<db_update> one(std::uint64_t seq) {
  return {db_update{seq, {db_op::create_key("Groups\\G" + std::to_string(seq))}}};
}

// What the writer reported, one entry per transaction; the first report can be held back
// to make the next commits queue up behind it.
struct reports {
  std::mutex mutex;
  std::condition_variable changed;
  std::vector<std::vector<std::uint64_t>> transactions;
  std::vector<std::string> errors;
  bool hold_first = false;
  bool holding = false;  // the writer is inside the held report
  bool released = false;

  store_writer::written_fn sink() {
    return [this](const std::vector<std::uint64_t>& seqs, const status& st) {
      std::unique_lock lock(mutex);
      if (hold_first && transactions.empty()) {
        holding = true;
        changed.notify_all();
        changed.wait(lock, [this] { return released; });
      }
      transactions.push_back(seqs);
      errors.push_back(st ? "" : st.error());
      changed.notify_all();
    };
  }
  void release() {
    std::lock_guard lock(mutex);
    released = true;
    changed.notify_all();
  }
};

}  // namespace

TEST_CASE("the store writer writes in order and merges the commits that wait for it",
          "[store_writer]") {
  wolfpack::test::db_temp_dir dir;
  const auto path = dir / "clusdb.sqlite";
  reports seen;
  seen.hold_first = true;
  {
    store_writer writer(open_store(path), seen.sink());
    writer.commit(one(1));
    // Seq 1 is written and its report held: 2, 3 and 4 wait and become one transaction.
    {
      std::unique_lock lock(seen.mutex);
      seen.changed.wait(lock, [&] { return seen.holding; });
    }
    writer.commit(one(2));
    writer.commit(one(3));
    writer.commit(one(4));
    seen.release();
    writer.drain();
    REQUIRE(seen.transactions.size() == 2);
    CHECK(seen.transactions[0] == std::vector<std::uint64_t>{1});
    CHECK(seen.transactions[1] == std::vector<std::uint64_t>{2, 3, 4});
  }
  auto reopened = open_store(path);
  auto contents = reopened.load();
  REQUIRE(contents);
  CHECK(contents->last_seq == 4);
  CHECK(contents->tree.key_exists("Groups\\G4"));
}

TEST_CASE("the store writer replaces after earlier commits and reports failures",
          "[store_writer]") {
  wolfpack::test::db_temp_dir dir;
  const auto path = dir / "clusdb.sqlite";
  reports seen;
  {
    store_writer writer(open_store(path), seen.sink());
    writer.commit(one(1));
    db_tree tree;
    REQUIRE(tree.create_key("Nodes\\1"));
    REQUIRE(tree.set_value("Nodes\\1", "NodeName", typed_value::sz("node1")));
    writer.replace(tree, 10);
    writer.commit(one(5));  // not above 10: refused, and said so with its seq
    writer.drain();
    writer.commit(one(11));
    writer.drain();
  }
  REQUIRE(seen.transactions.size() == 4);
  CHECK(seen.transactions[1] == std::vector<std::uint64_t>{10});
  CHECK(seen.errors[0].empty());
  CHECK(seen.errors[1].empty());
  CHECK(seen.transactions[2] == std::vector<std::uint64_t>{5});
  CHECK_FALSE(seen.errors[2].empty());
  CHECK(seen.errors[3].empty());
  auto contents = open_store(path).load();
  REQUIRE(contents);
  CHECK(contents->last_seq == 11);
  CHECK(contents->tree.key_exists("Nodes\\1"));
  CHECK_FALSE(contents->tree.key_exists("Groups\\G1"));
  CHECK(contents->tree.key_exists("Groups\\G11"));
}

TEST_CASE("run_now runs after what is queued and gives its result back", "[store_writer]") {
  wolfpack::test::db_temp_dir dir;
  reports seen;
  store_writer writer(open_store(dir / "clusdb.sqlite"), seen.sink());
  writer.commit(one(1));
  writer.commit(one(2));
  std::uint64_t seen_seq = 0;
  const auto st = writer.run_now([&](sqlite_store& s) {
    seen_seq = s.last_seq();
    return s.keep_promise(7);
  });
  CHECK(st);
  CHECK(seen_seq == 2);
  writer.commit(one(3));
  writer.drain();
  CHECK(seen.transactions.back() == std::vector<std::uint64_t>{3});
}
