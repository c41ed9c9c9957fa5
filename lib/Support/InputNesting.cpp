//===- InputNesting.cpp - Bracket nesting of textual IR -------------------===//

#include "Mirage/Support/InputNesting.h"

using namespace mirage;

std::optional<NestingViolation>
mirage::findExcessiveNesting(llvm::StringRef text, unsigned limit) {
  unsigned depth = 0, line = 1, column = 0;
  for (size_t i = 0, e = text.size(); i < e; ++i) {
    char c = text[i];
    ++column;
    if (c == '\n') {
      ++line;
      column = 0;
      continue;
    }
    // A comment runs to the end of the line.
    if (c == '/' && i + 1 < e && text[i + 1] == '/') {
      while (i + 1 < e && text[i + 1] != '\n')
        ++i;
      continue;
    }
    // A string literal runs to its unescaped closing quote (or the end of
    // the line, where the parser reports it).
    if (c == '"') {
      while (i + 1 < e && text[i + 1] != '"' && text[i + 1] != '\n') {
        if (text[i + 1] == '\\' && i + 2 < e && text[i + 2] != '\n') {
          ++i;
          ++column;
        }
        ++i;
        ++column;
      }
      if (i + 1 < e && text[i + 1] == '"') {
        ++i;
        ++column;
      }
      continue;
    }
    bool comparison = i + 1 < e && text[i + 1] == '=';
    bool opens = c == '(' || c == '[' || c == '{' || (c == '<' && !comparison);
    bool arrow = i > 0 && text[i - 1] == '-';
    bool closes =
        c == ')' || c == ']' || c == '}' || (c == '>' && !comparison && !arrow);
    if (opens) {
      if (++depth > limit)
        return NestingViolation{line, column};
    } else if (closes && depth > 0) {
      --depth;
    }
  }
  return std::nullopt;
}
