//===- Ptx.cpp - The kernel entries of a PTX module -----------------------===//

#include "MirageRuntime/Ptx.h"

#include <cctype>

using namespace mirage::rt;

const PtxEntry *PtxModule::findEntry(std::string_view name) const {
  for (const PtxEntry &entry : entries)
    if (entry.name == name)
      return &entry;
  return nullptr;
}

/// The text with `//` and `/* */` comments replaced by spaces (newlines
/// kept, so positions keep their lines). String literals (in `.file`
/// directives) are kept whole: a path may contain "//".
static std::string stripComments(std::string_view ptx) {
  std::string out;
  out.reserve(ptx.size());
  for (size_t i = 0; i < ptx.size();) {
    char c = ptx[i];
    if (c == '"') {
      size_t end = ptx.find('"', i + 1);
      end = end == std::string_view::npos ? ptx.size() : end + 1;
      out.append(ptx.substr(i, end - i));
      i = end;
    } else if (ptx.substr(i, 2) == "//") {
      while (i < ptx.size() && ptx[i] != '\n')
        ++i;
    } else if (ptx.substr(i, 2) == "/*") {
      size_t end = ptx.find("*/", i + 2);
      end = end == std::string_view::npos ? ptx.size() : end + 2;
      for (; i < end; ++i)
        out += ptx[i] == '\n' ? '\n' : ' ';
    } else {
      out += c;
      ++i;
    }
  }
  return out;
}

static bool isIdentChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$' ||
         c == '%' || c == '.';
}

static bool isSpace(char c) {
  return std::isspace(static_cast<unsigned char>(c)) != 0;
}

/// Whether `text` holds the directive `word` at `at` as a whole token.
static bool isTokenAt(const std::string &text, size_t at,
                      std::string_view word) {
  if (text.compare(at, word.size(), word) != 0)
    return false;
  bool startOk = at == 0 || !isIdentChar(text[at - 1]);
  size_t end = at + word.size();
  bool endOk = end >= text.size() || !isIdentChar(text[end]);
  return startOk && endOk;
}

static std::string trim(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && isSpace(s[b]))
    ++b;
  while (e > b && isSpace(s[e - 1]))
    --e;
  return std::string(s.substr(b, e - b));
}

static std::vector<std::string> splitSpace(const std::string &s) {
  std::vector<std::string> words;
  std::string word;
  for (char c : s) {
    if (isSpace(c)) {
      if (!word.empty())
        words.push_back(std::move(word));
      word.clear();
    } else {
      word += c;
    }
  }
  if (!word.empty())
    words.push_back(word);
  return words;
}

static PtxParam classifyParam(const std::string &text) {
  PtxParam param;
  param.text = text;
  if (text.find('[') != std::string::npos)
    return param; // an array (a struct passed by value)
  for (const std::string &word : splitSpace(text))
    if (word == ".u64" || word == ".b64" || word == ".s64")
      param.isPointerSized = true;
  return param;
}

/// The 1-based line of offset `at`.
static size_t lineOf(std::string_view text, size_t at) {
  size_t line = 1;
  for (size_t i = 0; i < at && i < text.size(); ++i)
    line += text[i] == '\n';
  return line;
}

/// The offset just past the `}` that closes the `{` at `open`, skipping
/// string literals; npos when the text ends first.
static size_t findClosingBrace(const std::string &ptx, size_t open) {
  int64_t depth = 0;
  for (size_t i = open; i < ptx.size(); ++i) {
    char c = ptx[i];
    if (c == '"') {
      size_t end = ptx.find('"', i + 1);
      if (end == std::string::npos)
        return std::string::npos;
      i = end;
    } else if (c == '{') {
      ++depth;
    } else if (c == '}' && --depth == 0) {
      return i + 1;
    }
  }
  return std::string::npos;
}

Expected<PtxModule> mirage::rt::scanPtx(std::string_view ptxText) {
  // cuModuleLoadData reads a NUL-terminated string: it would silently stop
  // at the first NUL and load a different (truncated) module.
  if (size_t nul = ptxText.find('\0'); nul != std::string_view::npos)
    return Status::error("a NUL byte at offset " + std::to_string(nul) +
                         " (line " + std::to_string(lineOf(ptxText, nul)) +
                         "): PTX is text, and the driver would stop reading "
                         "there");
  std::string ptx = stripComments(ptxText);
  PtxModule module;
  bool sawVersion = false;
  bool sawTarget = false;
  for (size_t i = 0; i < ptx.size(); ++i) {
    if (ptx[i] != '.')
      continue;
    if (isTokenAt(ptx, i, ".version")) {
      sawVersion = true;
      continue;
    }
    if (isTokenAt(ptx, i, ".target")) {
      if (sawTarget)
        return Status::error("line " + std::to_string(lineOf(ptx, i)) +
                             ": a second .target directive");
      sawTarget = true;
      size_t end = ptx.find('\n', i);
      std::string list =
          ptx.substr(i + 7, end == std::string::npos ? end : end - i - 7);
      std::string item;
      for (char c : list + ",") {
        if (c == ',') {
          if (!trim(item).empty())
            module.targets.push_back(trim(item));
          item.clear();
        } else {
          item += c;
        }
      }
      if (module.targets.empty())
        return Status::error("line " + std::to_string(lineOf(ptx, i)) +
                             ": the .target directive names no architecture");
      continue;
    }
    if (!isTokenAt(ptx, i, ".entry"))
      continue;
    size_t p = i + 6;
    while (p < ptx.size() && isSpace(ptx[p]))
      ++p;
    size_t nameStart = p;
    while (p < ptx.size() && isIdentChar(ptx[p]))
      ++p;
    PtxEntry entry;
    entry.name = ptx.substr(nameStart, p - nameStart);
    if (entry.name.empty())
      return Status::error("malformed .entry: no kernel name");
    while (p < ptx.size() && isSpace(ptx[p]))
      ++p;
    if (p < ptx.size() && ptx[p] == '(') {
      // The parameter list: declarations separated by commas at depth 0
      // (array extents "[16]" hold no commas, but stay safe).
      size_t close = ptx.find(')', p);
      if (close == std::string::npos)
        return Status::error(".entry " + entry.name +
                             ": unterminated parameter list");
      std::string list = ptx.substr(p + 1, close - p - 1);
      std::string current;
      int depth = 0;
      for (char c : list + ",") {
        if (c == '[')
          ++depth;
        if (c == ']')
          --depth;
        if (c == ',' && depth == 0) {
          std::string decl = trim(current);
          current.clear();
          if (decl.empty())
            continue;
          if (decl.compare(0, 6, ".param") != 0)
            return Status::error(".entry " + entry.name +
                                 ": unexpected parameter declaration '" + decl +
                                 "'");
          entry.params.push_back(classifyParam(decl));
        } else {
          current += c;
        }
      }
      p = close + 1;
    }
    // The body: performance directives (.maxntid 128, 1, 1 ...) may come
    // before it; a text that ends before its closing brace was truncated.
    size_t open = ptx.find_first_of("{;", p);
    if (open == std::string::npos || ptx[open] != '{')
      return Status::error(".entry " + entry.name +
                           ": no body (the PTX ends or a ';' comes before its "
                           "'{')");
    size_t end = findClosingBrace(ptx, open);
    if (end == std::string::npos)
      return Status::error(".entry " + entry.name +
                           ": the body opened at line " +
                           std::to_string(lineOf(ptx, open)) +
                           " is never closed (the PTX is truncated)");
    if (module.findEntry(entry.name))
      return Status::error("line " + std::to_string(lineOf(ptx, i)) +
                           ": a second .entry " + entry.name);
    module.entries.push_back(std::move(entry));
    i = end - 1;
  }
  if (!sawVersion)
    return Status::error("not PTX text (no .version directive)");
  if (!sawTarget)
    return Status::error("no .target directive");
  return module;
}
