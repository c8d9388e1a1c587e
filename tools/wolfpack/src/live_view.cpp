// `up --foreground`: the live view. See lab_verbs.hpp.

#include "lab_verbs.hpp"

#include <cstring>
#include <ctime>
#include <deque>
#include <optional>
#include <sstream>

#include <wolfpack/common/endpoint.hpp>
#include <wolfpack/http/event_stream.hpp>

#include "lab_api.hpp"
#include "lab_snapshot.hpp"
#include "wolfpack/common/platform/stop_flag.hpp"

namespace wolfpack::tool {

using namespace std::chrono_literals;
using nlohmann::json;

namespace {

std::string str(const json& ev, const char* key) {
  if (!ev.contains(key))
    return {};
  return ev[key].is_string() ? ev[key].get<std::string>() : ev[key].dump();
}

// "#42 GROUP_STATE demo1 Online (owner node2)"
std::string describe_event(const json& ev) {
  std::string text = "#" + str(ev, "seq") + " " + str(ev, "kind") + " " + str(ev, "name");
  if (ev.contains("state"))
    text += " " + str(ev, "state");
  if (ev.contains("owner"))
    text += " (owner " + str(ev, "owner") + ")";
  else if (ev.contains("node"))
    text += " (on " + str(ev, "node") + ")";
  return text;
}

class live_view {
 public:
  live_view(lab_state& lab, std::ostream& out, bool redraw_in_place)
      : lab_(lab), out_(out), in_place_(redraw_in_place) {}

  void run() {
    auto last_draw = lab_clock::now() - 1h;
    while (!platform::stop_flag::raised()) {
      const bool changed = read_events();
      if (changed || lab_clock::now() - last_draw >= 1s) {
        draw();
        last_draw = lab_clock::now();
      }
    }
  }

 private:
  // Waits up to a quarter of a second for events; true when some came.
  bool read_events() {
    if (!stream_ || !stream_->is_open()) {
      stream_.reset();
      if (lab_clock::now() < next_connect_) {
        std::this_thread::sleep_for(250ms);
        return false;
      }
      next_connect_ = lab_clock::now() + 1s;
      const std::string api = responsive_api(lab_, "node1");
      auto ep = parse_endpoint("tcp:" + api);
      if (api.empty() || !ep)
        return false;
      auto s = http::event_stream::open(*ep, std::nullopt, 1s, current_api_key());
      if (!s)
        return false;
      stream_.emplace(std::move(s).value());
    }
    bool any = false;
    // A burst (a group coming online) is drawn once, after its last event; a flood is
    // still drawn every hundred events.
    auto wait = 250ms;
    for (int n = 0; n < 100; ++n, wait = 20ms) {
      auto ev = stream_->next(wait);
      if (!ev)
        break;
      recent_.push_back(describe_event(*ev));
      if (recent_.size() > 6)
        recent_.pop_front();
      any = true;
    }
    return any;
  }

  void draw() {
    // Another shell may have run `wolfpack node kill` and the like: lab.json is the truth.
    if (auto fresh = read_lab(lab_.dir); fresh && fresh->has_value())
      lab_ = std::move(**fresh);
    std::ostringstream text;
    print_snapshot(lab_, take_snapshot(lab_), text);
    if (!recent_.empty()) {
      text << "Recent events:\n";
      for (const auto& e : recent_)
        text << "  " << e << "\n";
    }
    text << "Ctrl-C stops the lab.\n";
    if (in_place_) {
      const std::time_t t = std::time(nullptr);
      char clock[16];
      std::strftime(clock, sizeof clock, "%H:%M:%S", std::localtime(&t));
      out_ << "\033[H\033[2J" << clock << "  " << text.str() << std::flush;
    } else if (text.str() != last_text_) {
      // Not a terminal (a log, a test): each change once, nothing when nothing changed.
      out_ << "----\n" << text.str() << std::flush;
    }
    last_text_ = text.str();
  }

  lab_state& lab_;
  std::ostream& out_;
  const bool in_place_;
  std::optional<http::event_stream> stream_;
  lab_clock::time_point next_connect_{};
  std::deque<std::string> recent_;
  std::string last_text_;
};

}  // namespace

int run_live_view(lab_state& lab, std::chrono::milliseconds down_grace, std::ostream& out,
                  std::ostream& err, bool redraw_in_place) {
  live_view view(lab, out, redraw_in_place);
  view.run();
  out << "\n" << platform::stop_flag::request() << ": taking the lab down.\n";
  // Other verbs may have changed the lab meanwhile (a node restarted, the cluster renamed):
  // lab.json says what runs now and under which name it is registered.
  if (auto fresh = read_lab(lab.dir); fresh && *fresh)
    lab = std::move(**fresh);
  // The caller's stop_flag still catches: a second Ctrl-C must not leave half the lab
  // running.
  return take_down(lab, down_grace, out, err);
}

}  // namespace wolfpack::tool
