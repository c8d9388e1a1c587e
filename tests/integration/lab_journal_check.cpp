#include "lab_journal_check.hpp"

#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>

namespace wolfpack::testing {

namespace fs = std::filesystem;
using nlohmann::json;

lab_dir_scope::lab_dir_scope(const fs::path& dir) {
  if (const char* old = std::getenv("WOLFPACK_LAB_DIR"))
    previous_ = old;
  ::setenv("WOLFPACK_LAB_DIR", dir.c_str(), 1);
}

lab_dir_scope::~lab_dir_scope() {
  if (previous_)
    ::setenv("WOLFPACK_LAB_DIR", previous_->c_str(), 1);
  else
    ::unsetenv("WOLFPACK_LAB_DIR");
}

std::vector<json> read_lab_journal(const fs::path& lab) {
  std::vector<json> lines;
  std::ifstream in(lab / "journal.jsonl");
  std::string line;
  while (std::getline(in, line)) {
    if (in.eof())
      break;  // no '\n' yet: still being written
    auto j = json::parse(line, nullptr, false);
    if (!j.is_discarded())
      lines.push_back(std::move(j));
  }
  return lines;
}

std::string double_holders(const std::vector<json>& journal) {
  struct held {
    std::string who;  // node/resource/pid
  };
  std::map<std::string, held> holders;  // registry + key -> holder
  std::string problems;
  for (const auto& e : journal) {
    const std::string slot = e.value("registry", "") + " " + e.value("key", "");
    const std::string who = e.value("node", "") + "/" + e.value("resource", "") + "/" +
                            std::to_string(e.value("pid", 0L));
    const std::string event = e.value("event", "");
    auto it = holders.find(slot);
    const bool taken = it != holders.end();
    if (event == "claim" || event == "reserve") {
      if (taken)
        problems += slot + ": " + who + " got it while " + it->second.who + " held it\n";
      holders[slot] = held{who};
    } else if (event == "claim_stale" || event == "break") {
      // A take-over: from a holder whose process died (claims) or that stopped renewing
      // (reservations). The replaced holder holds nothing from here on.
      holders[slot] = held{who};
    } else if (event == "release") {
      if (!taken || it->second.who != who)
        problems += slot + ": " + who + " released what it did not hold\n";
      else
        holders.erase(it);
    }
  }
  return problems;
}

std::string describe_journal(const std::vector<json>& journal) {
  std::string out;
  for (const auto& e : journal) {
    out += e.value("registry", "") + " " + e.value("key", "") + " " + e.value("event", "") + " " +
           e.value("node", "") + "/" + e.value("resource", "") + " pid " +
           std::to_string(e.value("pid", 0L)) + " epoch " + std::to_string(e.value("epoch", 0ULL)) +
           "\n";
  }
  return out;
}

std::string record_value(const fs::path& file, const std::string& name) {
  std::ifstream in(file);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(name + "=", 0) == 0)
      return line.substr(name.size() + 1);
  }
  return {};
}

}  // namespace wolfpack::testing
