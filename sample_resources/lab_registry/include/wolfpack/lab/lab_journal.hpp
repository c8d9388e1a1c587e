#pragma once

// The lab journal, <lab dir>/journal.jsonl: one JSON line for every change of holder in any
// registry (claim, release, take-over), written while the registry's lock is held, so that
// the order of the lines is the order in which the changes happened. Renewals are not
// journaled. Tests (and people) replay it to see whether two nodes ever held one thing.

#include <string_view>

namespace wolfpack::lab {

// Appends {"registry", "key", "event", "node", "resource", "pid", "epoch", "mono_ns",
// "wall_ms"}. Best effort: a journal that cannot be written never fails the operation.
void journal(std::string_view registry, std::string_view key, std::string_view event,
             std::string_view node, std::string_view resource, unsigned long long epoch = 0);

}  // namespace wolfpack::lab
