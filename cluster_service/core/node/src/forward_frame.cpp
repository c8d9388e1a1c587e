#include "forward_frame.hpp"

#include <utility>

#include "wolfpack/common/json_kind.hpp"

namespace wolfpack::cluster {

namespace {

using json = nlohmann::json;

std::string wrong(const char* member, const char* wanted, const json& got) {
  return std::string("member '") + member + "' must be " + wanted + ", not " +
         wolfpack::detail::json_kind_shown(got);
}

// fid first: every other problem is answered through it.
std::variant<std::uint64_t, forward_frame_problem> read_fid(const json& frame) {
  const auto it = frame.find("fid");
  if (it == frame.end())
    return forward_frame_problem{std::nullopt, "member 'fid' is missing"};
  if (!it->is_number_integer() || it->get<std::int64_t>() <= 0)
    return forward_frame_problem{std::nullopt, wrong("fid", "a positive integer", *it)};
  return it->get<std::uint64_t>();
}

}  // namespace

std::variant<forwarded_request, forward_frame_problem> read_forwarded_request(const json& frame) {
  const auto fid = read_fid(frame);
  if (const auto* p = std::get_if<forward_frame_problem>(&fid))
    return *p;
  forwarded_request out;
  out.fid = std::get<std::uint64_t>(fid);
  auto problem = [&](std::string message) {
    return forward_frame_problem{out.fid, std::move(message)};
  };
  const auto method = frame.find("method");
  if (method == frame.end() || !method->is_string() ||
      method->get_ref<const std::string&>().empty())
    return problem(method == frame.end() ? "member 'method' is missing"
                                         : wrong("method", "a non-empty string", *method));
  out.request.method = method->get<std::string>();
  const auto path = frame.find("path");
  if (path == frame.end() || !path->is_array())
    return problem(path == frame.end() ? "member 'path' is missing"
                                       : wrong("path", "an array of strings", *path));
  for (const auto& segment : *path) {
    if (!segment.is_string())
      return problem(wrong("path", "an array of strings", segment) + " in it");
    out.request.path.push_back(segment.get<std::string>());
  }
  if (const auto query = frame.find("query"); query != frame.end() && !query->is_null()) {
    if (!query->is_object())
      return problem(wrong("query", "an object of strings", *query));
    for (const auto& [key, value] : query->items()) {
      if (!value.is_string())
        return problem("query parameter '" + key + "' must be a string, not " +
                       wolfpack::detail::json_kind_shown(value));
      out.request.query.emplace(key, value.get<std::string>());
    }
  }
  if (const auto body = frame.find("body"); body != frame.end())
    out.request.body = *body;
  // An older sender has no hop count: it is the first hop.
  if (const auto hops = frame.find("hops"); hops != frame.end()) {
    if (!hops->is_number_integer() || hops->get<std::int64_t>() <= 0 ||
        hops->get<std::int64_t>() > 1000)
      return problem(wrong("hops", "a small positive integer", *hops));
    out.hops = hops->get<std::uint32_t>();
  }
  return out;
}

std::variant<forwarded_answer, forward_frame_problem> read_forwarded_answer(const json& frame) {
  const auto fid = read_fid(frame);
  if (const auto* p = std::get_if<forward_frame_problem>(&fid))
    return *p;
  forwarded_answer out;
  out.fid = std::get<std::uint64_t>(fid);
  const auto status = frame.find("status");
  if (status == frame.end() || !status->is_number_integer() || status->get<std::int64_t>() < 100 ||
      status->get<std::int64_t>() > 599) {
    return forward_frame_problem{
        out.fid, status == frame.end() ? "member 'status' is missing"
                                       : wrong("status", "an HTTP status (100-599)", *status)};
  }
  out.status = status->get<int>();
  if (const auto body = frame.find("body"); body != frame.end())
    out.body = *body;
  return out;
}

}  // namespace wolfpack::cluster
