#include "wolfpack/cluster_transport/api_key.hpp"

#include <cctype>
#include <fstream>
#include <sstream>

#include "crypto.hpp"

namespace wolfpack::cluster_transport {

std::string api_key_for(std::string_view secret) {
  // A label of its own, so that no message MAC between nodes ever equals the key.
  return hmac_sha256_hex(secret, "wolfpack cluster API key, version 1");
}

result<std::string> read_secret_file(const std::filesystem::path& path, std::string_view label) {
  const std::string named = std::string(label) + " '" + path.string() + "'";
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return fail(named + ": cannot be read");
  std::ostringstream text;
  text << in.rdbuf();
  std::string hex;
  for (char c : text.str()) {
    if (std::isspace(static_cast<unsigned char>(c)))
      continue;
    if (!std::isxdigit(static_cast<unsigned char>(c)))
      return fail(named + ": the secret must be hex digits");
    hex += c;
  }
  if (hex.size() < 32 || hex.size() % 2 != 0)
    return fail(named + ": the secret must be an even number of hex digits, at least 32");
  std::string bytes;
  for (std::size_t i = 0; i < hex.size(); i += 2)
    bytes += static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16));
  return bytes;
}

}  // namespace wolfpack::cluster_transport
