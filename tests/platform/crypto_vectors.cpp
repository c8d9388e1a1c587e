// Checks platform/crypto.hpp against published test vectors: HMAC-SHA256 from RFC 4231
// (test cases 1 to 4, 6 and 7), one-shot and with a key object reused for several messages, and
// SHA-256 from FIPS 180-2, given whole and in pieces. The
// same program is built in the Linux tree (OpenSSL) and the Windows tree (BCrypt, run under
// Wine by tests/windows), so both implementations are held to the same bytes. Prints one line
// per vector; exit code 0 when all match, 1 otherwise.
#include <cstdio>
#include <string>
#include <string_view>

#include "wolfpack/common/hex.hpp"
#include "wolfpack/common/platform/crypto.hpp"

namespace {

namespace platform = wolfpack::platform;

struct hmac_vector {
  const char* name;
  std::string key;
  std::string data;
  const char* expected;
};

struct hash_vector {
  const char* name;
  std::string data;
  const char* expected;
};

std::string repeated(char byte, std::size_t count) {
  return std::string(count, byte);
}

std::string counting_from_1(std::size_t count) {
  std::string bytes;
  for (std::size_t i = 1; i <= count; ++i)
    bytes.push_back(static_cast<char>(i));
  return bytes;
}

bool report(const char* what, const char* name, const std::string& actual,
            std::string_view expected) {
  const bool ok = actual == expected;
  std::printf("%s %s %s: %s%s%s\n", ok ? "ok  " : "FAIL", what, name, actual.c_str(),
              ok ? "" : " expected ", ok ? "" : std::string(expected).c_str());
  return ok;
}

}  // namespace

int main() {
  const std::string large_key = repeated('\xaa', 131);
  const hmac_vector hmacs[] = {
      {"RFC 4231 case 1", repeated('\x0b', 20), "Hi There",
       "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"},
      {"RFC 4231 case 2", "Jefe", "what do ya want for nothing?",
       "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"},
      {"RFC 4231 case 3", repeated('\xaa', 20), repeated('\xdd', 50),
       "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"},
      {"RFC 4231 case 4", counting_from_1(25), repeated('\xcd', 50),
       "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"},
      {"RFC 4231 case 6", large_key, "Test Using Larger Than Block-Size Key - Hash Key First",
       "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"},
      {"RFC 4231 case 7", large_key,
       "This is a test using a larger than block-size key and a larger than block-size data. "
       "The key needs to be hashed before being used by the HMAC algorithm.",
       "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"},
  };
  const hash_vector hashes[] = {
      {"FIPS 180-2 empty", "", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
      {"FIPS 180-2 abc", "abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
      {"FIPS 180-2 two blocks", "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
       "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
  };

  bool all = true;
  for (const auto& v : hmacs) {
    all &= report("HMAC-SHA256", v.name,
                  wolfpack::hex::encode(platform::hmac_sha256(v.key, v.data)), v.expected);
  }
  for (const auto& v : hmacs) {
    // The keyed form: the same key for two messages in a row (the second MAC must not carry
    // anything of the first), and the message in two pieces cut in the middle.
    platform::hmac_sha256_key key(v.key);
    all &=
        report("HMAC-SHA256 keyed", v.name, wolfpack::hex::encode(key.mac({v.data})), v.expected);
    const std::string_view data = v.data;
    const auto half = data.size() / 2;
    all &= report("HMAC-SHA256 keyed in pieces", v.name,
                  wolfpack::hex::encode(key.mac({data.substr(0, half), "", data.substr(half)})),
                  v.expected);
  }
  for (const auto& v : hashes) {
    platform::sha256 whole;
    whole.update(v.data);
    all &= report("SHA-256", v.name, wolfpack::hex::encode(whole.finish()), v.expected);
    // One byte at a time: the incremental interface must not depend on how input is cut.
    platform::sha256 pieces;
    for (char c : v.data)
      pieces.update(std::string_view(&c, 1));
    all &= report("SHA-256 bytewise", v.name, wolfpack::hex::encode(pieces.finish()), v.expected);
  }
  // Not a known-answer test: two draws of 32 bytes that come out equal mean no generator.
  std::uint8_t a[32] = {}, b[32] = {};
  platform::random_bytes(a);
  platform::random_bytes(b);
  const bool differ = std::string_view(reinterpret_cast<char*>(a), 32) !=
                      std::string_view(reinterpret_cast<char*>(b), 32);
  std::printf("%s random_bytes: two draws of 32 bytes %s\n", differ ? "ok  " : "FAIL",
              differ ? "differ" : "are equal");
  all &= differ;
  std::printf("%s\n", all ? "all vectors match" : "MISMATCH");
  return all ? 0 : 1;
}
