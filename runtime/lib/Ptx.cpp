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

Expected<PtxModule> mirage::rt::scanPtx(std::string_view ptxText) {
  std::string ptx = stripComments(ptxText);
  PtxModule module;
  bool sawVersion = false;
  for (size_t i = 0; i < ptx.size(); ++i) {
    if (ptx[i] != '.')
      continue;
    if (isTokenAt(ptx, i, ".version")) {
      sawVersion = true;
      continue;
    }
    if (isTokenAt(ptx, i, ".target")) {
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
    module.entries.push_back(std::move(entry));
    i = p - 1;
  }
  if (!sawVersion)
    return Status::error("not PTX text (no .version directive)");
  return module;
}
