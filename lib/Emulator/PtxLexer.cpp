//===- PtxLexer.cpp - Tokens and types of the PTX subset ------------------===//
//
// The tokenizer of the PTX parser and the PTX types: their names, widths
// and kinds.
//
//===----------------------------------------------------------------------===//

#include "PtxParserImpl.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSwitch.h"

using namespace mirage::emu;
using namespace mirage::emu::detail;
using llvm::StringRef;

unsigned mirage::emu::typeBits(Type type) {
  switch (type) {
  case Type::None:
    return 0;
  case Type::Pred:
    return 1;
  case Type::B8:
  case Type::U8:
  case Type::S8:
    return 8;
  case Type::B16:
  case Type::U16:
  case Type::S16:
  case Type::F16:
  case Type::BF16:
    return 16;
  case Type::B32:
  case Type::U32:
  case Type::S32:
  case Type::F32:
  case Type::F16x2:
  case Type::BF16x2:
    return 32;
  case Type::B64:
  case Type::U64:
  case Type::S64:
  case Type::F64:
    return 64;
  }
  return 0;
}

bool mirage::emu::isSigned(Type type) {
  return type == Type::S8 || type == Type::S16 || type == Type::S32 ||
         type == Type::S64;
}

bool mirage::emu::isFloat(Type type) {
  return type == Type::F16 || type == Type::BF16 || type == Type::F32 ||
         type == Type::F64 || type == Type::F16x2 || type == Type::BF16x2;
}

const Kernel *Module::lookup(StringRef name) const {
  for (const Kernel &k : kernels)
    if (k.name == name)
      return &k;
  return nullptr;
}

llvm::Error Lexer::lex(std::vector<Token> &tokens, StringRef fileName) {
  size_t i = 0, n = text.size();
  unsigned line = 1;
  auto isIdent = [](char c) {
    return llvm::isAlnum(c) || c == '_' || c == '.' || c == '$' || c == '%';
  };
  while (i < n) {
    char c = text[i];
    if (c == '\n') {
      ++line;
      ++i;
      continue;
    }
    if (c == ' ' || c == '\t' || c == '\r') {
      ++i;
      continue;
    }
    if (c == '/' && i + 1 < n && text[i + 1] == '/') {
      while (i < n && text[i] != '\n')
        ++i;
      continue;
    }
    if (c == '/' && i + 1 < n && text[i + 1] == '*') {
      unsigned start = line;
      i += 2;
      while (i + 1 < n && !(text[i] == '*' && text[i + 1] == '/')) {
        if (text[i] == '\n')
          ++line;
        ++i;
      }
      if (i + 1 >= n)
        return llvm::createStringError(fileName + ":" + llvm::Twine(start) +
                                       ": error: unterminated /* comment");
      i += 2;
      continue;
    }
    Token t;
    t.line = line;
    size_t start = i;
    if (llvm::isDigit(c)) {
      t.kind = Token::Number;
      while (i < n && (llvm::isAlnum(text[i]) || text[i] == '.'))
        ++i;
    } else if (isIdent(c)) {
      t.kind = Token::Ident;
      while (i < n) {
        if (isIdent(text[i])) {
          ++i;
        } else if (text[i] == ':' && i + 2 < n && text[i + 1] == ':' &&
                   isIdent(text[i + 2])) {
          i += 2; // .shared::cta, .L2::128B
        } else {
          break;
        }
      }
    } else if (StringRef("{}[]()<>,;:+-@!|=").contains(c)) {
      t.kind = Token::Punct;
      ++i;
    } else {
      return llvm::createStringError(
          fileName + ":" + llvm::Twine(line) +
          ": error: unexpected character '" +
          (llvm::isPrint(c) ? text.substr(i, 1) : StringRef("?")) + "'");
    }
    t.text = text.slice(start, i);
    tokens.push_back(t);
  }
  Token end;
  end.line = line;
  tokens.push_back(end);
  return llvm::Error::success();
}

std::optional<Type> mirage::emu::detail::parseType(StringRef s) {
  return llvm::StringSwitch<std::optional<Type>>(s)
      .Case("pred", Type::Pred)
      .Case("b8", Type::B8)
      .Case("b16", Type::B16)
      .Case("b32", Type::B32)
      .Case("b64", Type::B64)
      .Case("u8", Type::U8)
      .Case("u16", Type::U16)
      .Case("u32", Type::U32)
      .Case("u64", Type::U64)
      .Case("s8", Type::S8)
      .Case("s16", Type::S16)
      .Case("s32", Type::S32)
      .Case("s64", Type::S64)
      .Case("f16", Type::F16)
      .Case("bf16", Type::BF16)
      .Case("f32", Type::F32)
      .Case("f64", Type::F64)
      .Case("f16x2", Type::F16x2)
      .Case("bf16x2", Type::BF16x2)
      .Default(std::nullopt);
}
