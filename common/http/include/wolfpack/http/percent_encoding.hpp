#pragma once

#include <string>
#include <string_view>

namespace wolfpack::http {

// Percent-encodes one path segment: everything but RFC 3986's unreserved characters
// (A-Z a-z 0-9 - . _ ~) becomes %XX, so "File Server/1" gives "File%20Server%2F1" and the
// server sees one segment. UTF-8 is encoded byte by byte.
std::string encode_segment(std::string_view segment);

}  // namespace wolfpack::http
