#include "command_line.hpp"

namespace wolfpack::samples {

std::optional<std::vector<std::string>> split_command_line(std::string_view line,
                                                           std::string* error) {
  std::vector<std::string> words;
  std::string word;
  bool in_word = false;  // also true for an empty quoted word ("")
  char quote = 0;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quote == '\'') {
      if (c == '\'')
        quote = 0;
      else
        word += c;
      continue;
    }
    if (c == '\\') {
      if (i + 1 == line.size()) {
        if (error != nullptr)
          *error = "a backslash ends the command line";
        return std::nullopt;
      }
      word += line[++i];
      in_word = true;
      continue;
    }
    if (quote == '"') {
      if (c == '"')
        quote = 0;
      else
        word += c;
      continue;
    }
    if (c == '"' || c == '\'') {
      quote = c;
      in_word = true;
      continue;
    }
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      if (in_word)
        words.push_back(std::move(word));
      word.clear();
      in_word = false;
      continue;
    }
    word += c;
    in_word = true;
  }
  if (quote != 0) {
    if (error != nullptr)
      *error = std::string("unterminated ") + (quote == '"' ? "double" : "single") + " quote";
    return std::nullopt;
  }
  if (in_word)
    words.push_back(std::move(word));
  return words;
}

}  // namespace wolfpack::samples
