//===- PtxParser.cpp - Parse the PTX subset of our bundles ----------------===//
//
// A tokenizer and a recursive-descent parser for the PTX that the NVPTX back
// end emits for our kernels (docs/Emulator.md, "The supported subset").
// Every instruction is decoded into Op + type + modifiers; an opcode, a
// modifier, a directive or an operand form outside the subset is an error
// naming it and its line.
//
//===----------------------------------------------------------------------===//

#include "Mirage/Emulator/Ptx.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSwitch.h"

#include <optional>

using namespace mirage::emu;
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

namespace {

struct Token {
  enum Kind { Ident, Number, Punct, End } kind = End;
  StringRef text;
  unsigned line = 0;
};

class Lexer {
public:
  explicit Lexer(StringRef text) : text(text) {}

  llvm::Error lex(std::vector<Token> &tokens, StringRef fileName) {
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

private:
  StringRef text;
};

std::optional<Type> parseType(StringRef s) {
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

/// Registers per kernel: every thread of a block holds them all (1024
/// threads x 16384 registers x 12 bytes = 192 MiB at most).
constexpr size_t kMaxRegisters = 1 << 14;

bool isIntType(Type t) {
  return !isFloat(t) && t != Type::Pred && t != Type::None;
}
bool isArithInt(Type t) {
  // add/sub/mul/... take .s/.u types (and .b for mov-like ops only).
  return isIntType(t) && t != Type::B8 && t != Type::B16 && t != Type::B32 &&
         t != Type::B64 && typeBits(t) >= 16;
}
bool isScalarFloat(Type t) {
  return t == Type::F16 || t == Type::BF16 || t == Type::F32;
}
bool isPacked(Type t) { return t == Type::F16x2 || t == Type::BF16x2; }
/// f32, f16, bf16 and the packed pairs of the latter.
bool isArithFloat(Type t) { return isScalarFloat(t) || isPacked(t); }

class Parser {
public:
  Parser(std::vector<Token> tokens, StringRef fileName, Module &module)
      : tokens(std::move(tokens)), fileName(fileName), module(module) {}

  llvm::Error parse();

private:
  const Token &peek(unsigned ahead = 0) const {
    return tokens[std::min<size_t>(pos + ahead, tokens.size() - 1)];
  }
  Token next() {
    Token t = peek();
    if (pos < tokens.size() - 1)
      ++pos;
    return t;
  }
  bool isPunct(char c) const {
    return peek().kind == Token::Punct && peek().text[0] == c;
  }
  llvm::Error error(unsigned line, const llvm::Twine &message) {
    return llvm::createStringError(fileName + ":" + llvm::Twine(line) +
                                   ": error: " + message);
  }
  llvm::Error expectPunct(char c) {
    if (!isPunct(c))
      return error(peek().line, "expected '" + llvm::Twine(c) + "', found '" +
                                    describeToken(peek()) + "'");
    next();
    return llvm::Error::success();
  }
  static std::string describeToken(const Token &t) {
    return t.kind == Token::End ? "end of file" : t.text.str();
  }
  llvm::Expected<int64_t> parseInteger();
  llvm::Error parseTopLevel();
  llvm::Error parseEntry(unsigned line);
  llvm::Error parseBody(Kernel &kernel);
  llvm::Error parseInstruction(Kernel &kernel);
  llvm::Error decodeOpcode(StringRef opcode, unsigned line, Instruction &inst);
  llvm::Error parseOperand(Kernel &kernel, Instruction &inst, Operand &op);
  llvm::Error checkOperands(const Kernel &kernel, const Instruction &inst,
                            StringRef opcode);

  std::vector<Token> tokens;
  size_t pos = 0;
  StringRef fileName;
  Module &module;
  // Per kernel:
  llvm::StringMap<uint32_t> registers;
  llvm::StringMap<uint32_t> labels;
  llvm::StringMap<uint32_t> params;
  std::vector<std::pair<std::string, std::pair<size_t, unsigned>>> fixups;
};

llvm::Expected<int64_t> Parser::parseInteger() {
  bool negative = false;
  if (isPunct('-')) {
    next();
    negative = true;
  }
  Token t = next();
  if (t.kind != Token::Number)
    return error(t.line,
                 "expected an integer, found '" + describeToken(t) + "'");
  StringRef s = t.text;
  uint64_t value = 0;
  bool bad;
  if (s.starts_with_insensitive("0f") && s.size() == 10)
    bad = s.drop_front(2).getAsInteger(16, value);
  else if (s.starts_with_insensitive("0d") && s.size() == 18)
    bad = s.drop_front(2).getAsInteger(16, value);
  else if (s.starts_with_insensitive("0x")) {
    StringRef hex = s.drop_front(2);
    hex.consume_back("U");
    bad = hex.getAsInteger(16, value);
  } else {
    StringRef digits = s;
    digits.consume_back("U");
    bad = digits.getAsInteger(10, value);
  }
  if (bad)
    return error(t.line, "malformed number '" + s + "'");
  return negative ? -static_cast<int64_t>(value) : static_cast<int64_t>(value);
}

llvm::Error Parser::parse() {
  while (peek().kind != Token::End)
    if (llvm::Error err = parseTopLevel())
      return err;
  if (module.kernels.empty())
    return error(peek().line, "no .entry in the PTX");
  return llvm::Error::success();
}

llvm::Error Parser::parseTopLevel() {
  Token t = next();
  if (t.kind != Token::Ident)
    return error(t.line,
                 "expected a directive, found '" + describeToken(t) + "'");
  if (t.text == ".version") {
    Token v = next();
    unsigned major = 0, minor = 0;
    auto [a, b] = v.text.split('.');
    if (v.kind != Token::Number || a.getAsInteger(10, major) ||
        b.getAsInteger(10, minor))
      return error(v.line, "malformed .version '" + describeToken(v) + "'");
    module.version = major * 10 + minor;
    return llvm::Error::success();
  }
  if (t.text == ".target") {
    Token v = next();
    if (v.kind != Token::Ident)
      return error(v.line, "malformed .target");
    module.target = v.text.str();
    return llvm::Error::success();
  }
  if (t.text == ".address_size") {
    llvm::Expected<int64_t> size = parseInteger();
    if (!size)
      return size.takeError();
    if (*size != 64)
      return error(t.line, ".address_size " + llvm::Twine(*size) +
                               " is not supported (only 64)");
    return llvm::Error::success();
  }
  if (t.text == ".extern") {
    // .extern .shared .align N .b8 NAME[];
    if (next().text != ".shared")
      return error(t.line, "only '.extern .shared' arrays are supported");
    if (peek().text == ".align") {
      next();
      if (llvm::Expected<int64_t> a = parseInteger(); !a)
        return a.takeError();
    }
    Token type = next();
    Token name = next();
    if (type.kind != Token::Ident || name.kind != Token::Ident)
      return error(t.line, "malformed .extern .shared declaration");
    if (llvm::Error err = expectPunct('['))
      return err;
    if (llvm::Error err = expectPunct(']'))
      return err;
    if (llvm::Error err = expectPunct(';'))
      return err;
    module.sharedSymbols.push_back(name.text.str());
    return llvm::Error::success();
  }
  if (t.text == ".visible" || t.text == ".entry") {
    if (t.text == ".visible") {
      Token e = next();
      if (e.text != ".entry")
        return error(e.line, "'" + describeToken(e) +
                                 "' is not supported (only .visible .entry "
                                 "kernels; no .func)");
    }
    return parseEntry(t.line);
  }
  return error(t.line, "directive '" + describeToken(t) +
                           "' is not supported by the emulator");
}

llvm::Error Parser::parseEntry(unsigned line) {
  Token name = next();
  if (name.kind != Token::Ident)
    return error(name.line, "expected the kernel's name");
  Kernel kernel;
  kernel.name = name.text.str();
  kernel.line = line;
  registers.clear();
  labels.clear();
  params.clear();
  fixups.clear();
  if (llvm::Error err = expectPunct('('))
    return err;
  while (!isPunct(')')) {
    // .param .u64 [.ptr [.global] [.align N]] NAME
    Token p = next();
    if (p.text != ".param")
      return error(p.line,
                   "expected '.param', found '" + describeToken(p) + "'");
    Token type = next();
    if (type.text != ".u64" && type.text != ".b64")
      return error(type.line, "kernel parameter of type '" +
                                  describeToken(type) +
                                  "' is not supported (only 64-bit pointers)");
    while (peek().kind == Token::Ident && peek().text.starts_with(".")) {
      Token m = next();
      if (m.text == ".align") {
        if (llvm::Expected<int64_t> a = parseInteger(); !a)
          return a.takeError();
      } else if (m.text != ".ptr" && m.text != ".global") {
        return error(m.line,
                     "parameter attribute '" + m.text + "' is not supported");
      }
    }
    Token pname = next();
    if (pname.kind != Token::Ident)
      return error(pname.line, "expected a parameter name");
    params[pname.text] = kernel.params.size();
    kernel.params.push_back(pname.text.str());
    if (isPunct(','))
      next();
    else if (!isPunct(')'))
      return error(peek().line, "expected ',' or ')' in the parameter list");
  }
  next();
  // Performance directives.
  while (peek().kind == Token::Ident && peek().text != "{") {
    Token d = next();
    if (d.text != ".maxntid" && d.text != ".reqntid" &&
        d.text != ".minnctapersm" && d.text != ".maxnreg")
      return error(d.line, "directive '" + d.text + "' is not supported");
    unsigned product = 1;
    for (;;) {
      llvm::Expected<int64_t> v = parseInteger();
      if (!v)
        return v.takeError();
      product *= static_cast<unsigned>(*v);
      if (!isPunct(','))
        break;
      next();
    }
    if (d.text == ".maxntid" || d.text == ".reqntid")
      kernel.maxThreads = product;
  }
  if (llvm::Error err = expectPunct('{'))
    return err;
  if (llvm::Error err = parseBody(kernel))
    return err;
  if (module.lookup(kernel.name))
    return error(line, "kernel '" + kernel.name + "' defined twice");
  module.kernels.push_back(std::move(kernel));
  return llvm::Error::success();
}

llvm::Error Parser::parseBody(Kernel &kernel) {
  for (;;) {
    const Token &t = peek();
    if (t.kind == Token::End)
      return error(t.line, "unterminated body of kernel '" + kernel.name + "'");
    if (t.kind == Token::Punct && t.text == "}") {
      next();
      break;
    }
    if (t.kind == Token::Punct && t.text == "{")
      return error(t.line, "nested '{' blocks are not supported");
    if (t.kind == Token::Ident && t.text == ".reg") {
      next();
      Token type = next();
      if (!type.text.starts_with(".") || !parseType(type.text.drop_front()))
        return error(type.line,
                     "unsupported register type '" + describeToken(type) + "'");
      for (;;) {
        Token name = next();
        if (name.kind != Token::Ident || !name.text.starts_with("%"))
          return error(name.line, "expected a register name");
        if (isPunct('<')) {
          next();
          llvm::Expected<int64_t> count = parseInteger();
          if (!count)
            return count.takeError();
          if (*count < 0 ||
              *count + kernel.registerNames.size() > kMaxRegisters)
            return error(name.line, "more than " + llvm::Twine(kMaxRegisters) +
                                        " registers in kernel '" + kernel.name +
                                        "'");
          if (llvm::Error err = expectPunct('>'))
            return err;
          for (int64_t i = 0; i < *count; ++i) {
            std::string reg = (name.text + llvm::Twine(i)).str();
            if (registers.count(reg))
              return error(name.line, "register '" + reg + "' declared twice");
            registers[reg] = kernel.registerNames.size();
            kernel.registerNames.push_back(reg);
          }
        } else {
          if (kernel.registerNames.size() >= kMaxRegisters)
            return error(name.line, "more than " + llvm::Twine(kMaxRegisters) +
                                        " registers in kernel '" + kernel.name +
                                        "'");
          if (registers.count(name.text))
            return error(name.line,
                         "register '" + name.text + "' declared twice");
          registers[name.text] = kernel.registerNames.size();
          kernel.registerNames.push_back(name.text.str());
        }
        if (isPunct(',')) {
          next();
          continue;
        }
        break;
      }
      if (llvm::Error err = expectPunct(';'))
        return err;
      continue;
    }
    if (t.kind == Token::Ident && t.text.starts_with(".") &&
        !peek(1).text.starts_with(":"))
      return error(t.line, "declaration '" + t.text +
                               "' in a kernel body is not supported (only "
                               ".reg; no .local or .shared variables)");
    // A label?
    if (t.kind == Token::Ident && peek(1).kind == Token::Punct &&
        peek(1).text == ":") {
      Token l = next();
      next();
      if (labels.count(l.text))
        return error(l.line, "label '" + l.text + "' defined twice");
      labels[l.text] = kernel.code.size();
      continue;
    }
    if (llvm::Error err = parseInstruction(kernel))
      return err;
  }
  for (auto &[label, where] : fixups) {
    auto it = labels.find(label);
    if (it == labels.end())
      return error(where.second, "branch to undefined label '" + label + "'");
    kernel.code[where.first].ops[0].imm = it->second;
  }
  // Falling off the end is an implicit ret; a label at the very end points
  // at it.
  Instruction ret;
  ret.op = Op::Ret;
  ret.line = peek().line;
  kernel.code.push_back(ret);
  return llvm::Error::success();
}

llvm::Error Parser::parseInstruction(Kernel &kernel) {
  Instruction inst;
  inst.line = peek().line;
  if (isPunct('@')) {
    next();
    if (isPunct('!')) {
      next();
      inst.guardNegated = true;
    }
    Token p = next();
    auto it = registers.find(p.text);
    if (it == registers.end())
      return error(p.line,
                   "unknown guard predicate '" + describeToken(p) + "'");
    inst.guard = it->second;
  }
  Token opcode = next();
  if (opcode.kind != Token::Ident)
    return error(opcode.line, "expected an instruction, found '" +
                                  describeToken(opcode) + "'");
  inst.line = opcode.line;
  if (llvm::Error err = decodeOpcode(opcode.text, opcode.line, inst))
    return err;
  while (!isPunct(';')) {
    if (inst.numOperands == 5)
      return error(opcode.line, "too many operands for '" + opcode.text + "'");
    if (peek().kind == Token::End)
      return error(opcode.line, "missing ';' after '" + opcode.text + "'");
    if (llvm::Error err =
            parseOperand(kernel, inst, inst.ops[inst.numOperands]))
      return err;
    if (inst.op == Op::Bra &&
        inst.ops[inst.numOperands].kind == Operand::Kind::Label)
      fixups.push_back(
          {tokens[pos - 1].text.str(), {kernel.code.size(), opcode.line}});
    ++inst.numOperands;
    if (isPunct(',')) {
      next();
      continue;
    }
    if (!isPunct(';'))
      return error(peek().line, "expected ',' or ';' after an operand of '" +
                                    opcode.text + "', found '" +
                                    describeToken(peek()) + "'");
  }
  next();
  if (llvm::Error err = checkOperands(kernel, inst, opcode.text))
    return err;
  kernel.code.push_back(inst);
  return llvm::Error::success();
}

llvm::Error Parser::parseOperand(Kernel &kernel, Instruction &inst,
                                 Operand &op) {
  const Token &t = peek();
  auto lookupReg = [&](const Token &r) -> llvm::Expected<uint32_t> {
    auto it = registers.find(r.text);
    if (it == registers.end())
      return error(r.line, "undeclared register '" + r.text + "'");
    return it->second;
  };
  if (isPunct('{')) {
    next();
    op.kind = Operand::Kind::Vector;
    op.vecStart = kernel.vectorRegs.size();
    while (!isPunct('}')) {
      Token r = next();
      llvm::Expected<uint32_t> reg = lookupReg(r);
      if (!reg)
        return reg.takeError();
      kernel.vectorRegs.push_back(*reg);
      if (++op.vecCount > 8)
        return error(r.line, "vector operand with more than 8 registers");
      if (isPunct(','))
        next();
      else if (!isPunct('}'))
        return error(peek().line, "expected ',' or '}' in a vector operand");
    }
    next();
    return llvm::Error::success();
  }
  if (isPunct('[')) {
    next();
    Token base = peek();
    op.kind = Operand::Kind::Addr;
    if (base.kind == Token::Number) {
      llvm::Expected<int64_t> v = parseInteger();
      if (!v)
        return v.takeError();
      op.imm = *v;
    } else {
      next();
      if (base.kind != Token::Ident)
        return error(base.line, "malformed address");
      if (base.text.starts_with("%")) {
        llvm::Expected<uint32_t> reg = lookupReg(base);
        if (!reg)
          return reg.takeError();
        op.reg = *reg;
      } else if (auto it = params.find(base.text); it != params.end()) {
        op.kind = Operand::Kind::Param;
        op.reg = it->second;
      } else if (llvm::is_contained(module.sharedSymbols, base.text)) {
        op.reg = Operand::kNoReg; // shared offset 0
      } else {
        return error(base.line,
                     "unknown symbol '" + base.text + "' in an address");
      }
      if (isPunct('+')) {
        next();
        llvm::Expected<int64_t> v = parseInteger(); // accepts +-8
        if (!v)
          return v.takeError();
        op.imm = *v;
      } else if (isPunct('-')) {
        llvm::Expected<int64_t> v = parseInteger();
        if (!v)
          return v.takeError();
        op.imm = *v;
      }
    }
    return expectPunct(']');
  }
  if (t.kind == Token::Number || isPunct('-')) {
    llvm::Expected<int64_t> v = parseInteger();
    if (!v)
      return v.takeError();
    op.kind = Operand::Kind::Imm;
    op.imm = *v;
    return llvm::Error::success();
  }
  if (t.kind != Token::Ident)
    return error(t.line, "unexpected '" + describeToken(t) + "' in operands");
  Token name = next();
  if (name.text.starts_with("%")) {
    std::optional<Special> special =
        llvm::StringSwitch<std::optional<Special>>(name.text)
            .Case("%tid.x", Special::TidX)
            .Case("%tid.y", Special::TidY)
            .Case("%tid.z", Special::TidZ)
            .Case("%ntid.x", Special::NtidX)
            .Case("%ntid.y", Special::NtidY)
            .Case("%ntid.z", Special::NtidZ)
            .Case("%ctaid.x", Special::CtaidX)
            .Case("%ctaid.y", Special::CtaidY)
            .Case("%ctaid.z", Special::CtaidZ)
            .Case("%nctaid.x", Special::NctaidX)
            .Case("%nctaid.y", Special::NctaidY)
            .Case("%nctaid.z", Special::NctaidZ)
            .Case("%laneid", Special::LaneId)
            .Case("%warpid", Special::WarpId)
            .Default(std::nullopt);
    if (special) {
      op.kind = Operand::Kind::Special;
      op.imm = static_cast<int64_t>(*special);
      return llvm::Error::success();
    }
    llvm::Expected<uint32_t> reg = lookupReg(name);
    if (!reg)
      return reg.takeError();
    op.kind = Operand::Kind::Reg;
    op.reg = *reg;
    return llvm::Error::success();
  }
  if (inst.op == Op::Bra) {
    op.kind = Operand::Kind::Label;
    return llvm::Error::success();
  }
  if (llvm::is_contained(module.sharedSymbols, name.text)) {
    op.kind = Operand::Kind::Symbol;
    op.imm = 0;
    return llvm::Error::success();
  }
  return error(name.line, "unknown symbol '" + name.text + "'");
}

llvm::Error Parser::decodeOpcode(StringRef opcode, unsigned line,
                                 Instruction &inst) {
  llvm::SmallVector<StringRef, 8> parts;
  opcode.split(parts, '.');
  StringRef base = parts[0];
  auto unsupported = [&](const llvm::Twine &why = "") {
    return error(line, "unsupported instruction '" + opcode + "'" +
                           (why.isTriviallyEmpty() ? "" : ": ") + why +
                           " (docs/Emulator.md lists the supported subset)");
  };
  // Modifiers are consumed from the front; types from the back.
  size_t i = 1;
  auto take = [&](StringRef m) {
    if (i < parts.size() && parts[i] == m) {
      ++i;
      return true;
    }
    return false;
  };
  auto takeRounding = [&](bool integer = false) {
    if (i >= parts.size())
      return;
    Rounding r = llvm::StringSwitch<Rounding>(parts[i])
                     .Case("rn", Rounding::Rn)
                     .Case("rz", Rounding::Rz)
                     .Case("rm", Rounding::Rm)
                     .Case("rp", Rounding::Rp)
                     .Case("rni", integer ? Rounding::Rni : Rounding::None)
                     .Case("rzi", integer ? Rounding::Rzi : Rounding::None)
                     .Case("rmi", integer ? Rounding::Rmi : Rounding::None)
                     .Case("rpi", integer ? Rounding::Rpi : Rounding::None)
                     .Default(Rounding::None);
    if (r != Rounding::None) {
      inst.rounding = r;
      ++i;
    }
  };
  // The remaining parts must be exactly `count` types.
  auto takeTypes = [&](unsigned count,
                       llvm::SmallVectorImpl<Type> &types) -> bool {
    if (parts.size() - i != count)
      return false;
    for (; i < parts.size(); ++i) {
      std::optional<Type> t = parseType(parts[i]);
      if (!t)
        return false;
      types.push_back(*t);
    }
    return true;
  };
  llvm::SmallVector<Type, 4> types;
  auto oneType = [&](auto accept) -> llvm::Error {
    if (!takeTypes(1, types) || !accept(types[0]))
      return unsupported();
    inst.type = types[0];
    return llvm::Error::success();
  };

  // Half-precision arithmetic rounds to nearest only.
  auto halfRounding = [&](Type t) {
    return t == Type::F32 || inst.rounding == Rounding::None ||
           inst.rounding == Rounding::Rn;
  };
  if (base == "add" || base == "sub") {
    inst.op = base == "add" ? Op::Add : Op::Sub;
    takeRounding();
    inst.ftz = take("ftz");
    return oneType([&](Type t) {
      return isArithInt(t) ? inst.rounding == Rounding::None && !inst.ftz
                           : isArithFloat(t) && halfRounding(t);
    });
  }
  if (base == "mul") {
    if (take("lo"))
      inst.op = Op::Mul;
    else if (take("wide"))
      inst.op = Op::MulWide;
    else if (take("hi"))
      inst.op = Op::MulHi;
    else
      inst.op = Op::Mul;
    bool intMode = i > 1;
    takeRounding();
    inst.ftz = take("ftz");
    return oneType([&](Type t) {
      if (isArithInt(t))
        return intMode && inst.rounding == Rounding::None && !inst.ftz &&
               !(inst.op == Op::MulWide && typeBits(t) == 64);
      return !intMode && isArithFloat(t) && halfRounding(t);
    });
  }
  if (base == "mad") {
    inst.op = Op::Mad;
    if (!take("lo"))
      return unsupported("only mad.lo");
    return oneType(isArithInt);
  }
  if (base == "fma") {
    inst.op = Op::Fma;
    takeRounding();
    if (inst.rounding == Rounding::None)
      return unsupported("fma needs a rounding modifier");
    inst.ftz = take("ftz");
    inst.sat = take("sat");
    return oneType([&](Type t) { return isArithFloat(t) && halfRounding(t); });
  }
  if (base == "neg" || base == "abs" || base == "min" || base == "max") {
    inst.op = llvm::StringSwitch<Op>(base)
                  .Case("neg", Op::Neg)
                  .Case("abs", Op::Abs)
                  .Case("min", Op::Min)
                  .Default(Op::Max);
    inst.ftz = take("ftz");
    if (inst.op == Op::Min || inst.op == Op::Max)
      inst.nanProp = take("NaN");
    return oneType([&](Type t) {
      return isArithFloat(t) ||
             (isArithInt(t) && !inst.ftz && !inst.nanProp &&
              (isSigned(t) || inst.op == Op::Min || inst.op == Op::Max));
    });
  }
  if (base == "copysign") {
    inst.op = Op::Copysign;
    return oneType([](Type t) { return t == Type::F32; });
  }
  if (base == "div") {
    inst.op = Op::Div;
    if (take("approx"))
      inst.rounding = Rounding::None;
    else if (take("full"))
      inst.rounding = Rounding::None;
    else
      takeRounding();
    inst.ftz = take("ftz");
    return oneType([&](Type t) { return t == Type::F32 || isArithInt(t); });
  }
  if (base == "ex2" || base == "rsqrt" || base == "sqrt" || base == "rcp") {
    inst.op = llvm::StringSwitch<Op>(base)
                  .Case("ex2", Op::Ex2)
                  .Case("rsqrt", Op::Rsqrt)
                  .Case("sqrt", Op::Sqrt)
                  .Default(Op::Rcp);
    if (!take("approx")) {
      takeRounding();
      if (inst.rounding == Rounding::None || base == "ex2" || base == "rsqrt")
        return unsupported();
    }
    inst.ftz = take("ftz");
    return oneType([](Type t) { return t == Type::F32; });
  }
  if (base == "cvt") {
    inst.op = Op::Cvt;
    takeRounding(/*integer=*/true);
    inst.ftz = take("ftz");
    inst.sat = take("sat");
    if (!takeTypes(2, types))
      return unsupported();
    inst.type = types[0];
    inst.srcType = types[1];
    Type d = inst.type, s = inst.srcType;
    if (d == Type::F16x2 || d == Type::BF16x2) {
      inst.op = Op::CvtPack;
      if (s != Type::F32 || inst.rounding != Rounding::Rn)
        return unsupported();
      return llvm::Error::success();
    }
    if (d == Type::Pred || s == Type::Pred || d == Type::F16x2 ||
        s == Type::F16x2 || s == Type::BF16x2 || d == Type::F64 ||
        s == Type::F64)
      return unsupported();
    bool dFloat = isFloat(d), sFloat = isFloat(s);
    if (dFloat && sFloat && d == s && inst.rounding >= Rounding::Rni) {
      // cvt.rzi.f32.f32: round to an integral value.
      return llvm::Error::success();
    }
    if (dFloat && sFloat) {
      // Narrowing needs a rounding mode (rn only); widening and f32 -> f32
      // (.sat) take none.
      bool narrowing = typeBits(d) < typeBits(s) ||
                       (d == Type::BF16 && s == Type::F16) ||
                       (d == Type::F16 && s == Type::BF16);
      if (narrowing ? inst.rounding != Rounding::Rn
                    : inst.rounding != Rounding::None)
        return unsupported();
      return llvm::Error::success();
    }
    if (!dFloat && !sFloat) {
      if (inst.rounding != Rounding::None || inst.ftz)
        return unsupported();
      return llvm::Error::success();
    }
    // int <-> float: f32 only, rn for int -> float, rzi/rni/... for float ->
    // int.
    if (dFloat ? d != Type::F32 || inst.rounding != Rounding::Rn
               : s != Type::F32 || inst.rounding < Rounding::Rni)
      return unsupported();
    return llvm::Error::success();
  }
  if (base == "cvta") {
    inst.op = Op::Cvta;
    if (!take("to") || !take("global"))
      return unsupported("only cvta.to.global");
    return oneType([](Type t) { return t == Type::U64; });
  }
  if (base == "shl" || base == "shr") {
    inst.op = base == "shl" ? Op::Shl : Op::Shr;
    return oneType([&](Type t) {
      return isIntType(t) && typeBits(t) >= 16 &&
             (inst.op == Op::Shr || !isSigned(t));
    });
  }
  if (base == "and" || base == "or" || base == "xor" || base == "not") {
    inst.op = llvm::StringSwitch<Op>(base)
                  .Case("and", Op::And)
                  .Case("or", Op::Or)
                  .Case("xor", Op::Xor)
                  .Default(Op::Not);
    return oneType([](Type t) {
      return t == Type::Pred || t == Type::B16 || t == Type::B32 ||
             t == Type::B64;
    });
  }
  if (base == "bfe") {
    inst.op = Op::Bfe;
    return oneType([](Type t) {
      return t == Type::U32 || t == Type::U64 || t == Type::S32 ||
             t == Type::S64;
    });
  }
  if (base == "mov") {
    inst.op = Op::Mov;
    return oneType([](Type t) {
      return t != Type::F16x2 && t != Type::BF16x2 && typeBits(t) != 8;
    });
  }
  if (base == "setp") {
    inst.op = Op::Setp;
    if (i >= parts.size())
      return unsupported();
    std::optional<Cmp> cmp = llvm::StringSwitch<std::optional<Cmp>>(parts[i])
                                 .Case("eq", Cmp::Eq)
                                 .Case("ne", Cmp::Ne)
                                 .Case("lt", Cmp::Lt)
                                 .Case("le", Cmp::Le)
                                 .Case("gt", Cmp::Gt)
                                 .Case("ge", Cmp::Ge)
                                 .Case("lo", Cmp::Lo)
                                 .Case("ls", Cmp::Ls)
                                 .Case("hi", Cmp::Hi)
                                 .Case("hs", Cmp::Hs)
                                 .Case("equ", Cmp::Equ)
                                 .Case("neu", Cmp::Neu)
                                 .Case("ltu", Cmp::Ltu)
                                 .Case("leu", Cmp::Leu)
                                 .Case("gtu", Cmp::Gtu)
                                 .Case("geu", Cmp::Geu)
                                 .Case("num", Cmp::Num)
                                 .Case("nan", Cmp::Nan)
                                 .Default(std::nullopt);
    if (!cmp)
      return unsupported("comparison '" + parts[i] + "'");
    inst.cmp = *cmp;
    ++i;
    inst.ftz = take("ftz");
    return oneType([&](Type t) {
      if (isFloat(t))
        return isScalarFloat(t) && (inst.cmp < Cmp::Lo || inst.cmp >= Cmp::Equ);
      return isIntType(t) && typeBits(t) >= 16 && inst.cmp < Cmp::Equ &&
             (inst.cmp < Cmp::Lo || !isSigned(t)) && !inst.ftz;
    });
  }
  if (base == "selp") {
    inst.op = Op::Selp;
    return oneType([](Type t) {
      return t != Type::Pred && t != Type::F16x2 && t != Type::BF16x2 &&
             typeBits(t) >= 16;
    });
  }
  if (base == "ld" || base == "st") {
    inst.op = base == "ld" ? Op::Ld : Op::St;
    if (take("param")) {
      if (inst.op != Op::Ld)
        return unsupported();
      inst.op = Op::LdParam;
      inst.space = Space::Param;
      return oneType([](Type t) { return t == Type::B64 || t == Type::U64; });
    }
    if (take("global"))
      inst.space = Space::Global;
    else if (take("shared") || take("shared::cta"))
      inst.space = Space::Shared;
    else
      return unsupported("only the .global, .shared and .param state spaces "
                         "(with an explicit state space)");
    if (take("v2"))
      inst.vec = 2;
    else if (take("v4"))
      inst.vec = 4;
    return oneType([](Type t) {
      return t != Type::Pred && t != Type::F16x2 && t != Type::BF16x2 &&
             typeBits(t) >= 16;
    });
  }
  if (base == "bra") {
    inst.op = Op::Bra;
    take("uni");
    if (i != parts.size())
      return unsupported();
    return llvm::Error::success();
  }
  if (base == "ret" || base == "exit") {
    inst.op = Op::Ret;
    if (parts.size() != 1)
      return unsupported();
    return llvm::Error::success();
  }
  if (base == "bar") {
    inst.op = Op::BarSync;
    if (!take("sync") || i != parts.size())
      return unsupported("only bar.sync");
    return llvm::Error::success();
  }
  if (base == "mma") {
    inst.op = Op::Mma;
    if (!take("sync") || !take("aligned") || !take("m16n8k16") ||
        !take("row") || !take("col") || !takeTypes(4, types) ||
        types[0] != Type::F32 || types[3] != Type::F32 ||
        types[1] != types[2] ||
        (types[1] != Type::F16 && types[1] != Type::BF16))
      return unsupported("only mma.sync.aligned.m16n8k16.row.col.f32.{f16,"
                         "bf16}.{f16,bf16}.f32");
    inst.type = Type::F32;
    inst.srcType = types[1];
    return llvm::Error::success();
  }
  if (base == "ldmatrix") {
    inst.op = Op::Ldmatrix;
    if (!take("sync") || !take("aligned") || !take("m8n8"))
      return unsupported();
    if (take("x1"))
      inst.vec = 1;
    else if (take("x2"))
      inst.vec = 2;
    else if (take("x4"))
      inst.vec = 4;
    else
      return unsupported();
    inst.trans = take("trans");
    if (!take("shared") && !take("shared::cta"))
      return unsupported();
    inst.space = Space::Shared;
    return oneType([](Type t) { return t == Type::B16; });
  }
  if (base == "cp") {
    if (!take("async"))
      return unsupported();
    if (take("commit_group")) {
      inst.op = Op::CpAsyncCommit;
    } else if (take("wait_group")) {
      inst.op = Op::CpAsyncWait;
    } else if (take("wait_all")) {
      inst.op = Op::CpAsyncWaitAll;
    } else {
      inst.op = Op::CpAsync;
      if (take("ca"))
        inst.cacheAll = true;
      else if (!take("cg"))
        return unsupported();
      if ((!take("shared") && !take("shared::cta")) || !take("global"))
        return unsupported();
      take("L2::64B") || take("L2::128B") || take("L2::256B");
      inst.space = Space::Shared;
    }
    if (i != parts.size())
      return unsupported();
    return llvm::Error::success();
  }
  return unsupported();
}

llvm::Error Parser::checkOperands(const Kernel &kernel, const Instruction &inst,
                                  StringRef opcode) {
  using K = Operand::Kind;
  auto bad = [&](const llvm::Twine &why) {
    return error(inst.line, "'" + opcode + "': " + why);
  };
  auto count = [&](unsigned n) -> llvm::Error {
    if (inst.numOperands != n)
      return bad("expected " + llvm::Twine(n) + " operands, found " +
                 llvm::Twine(inst.numOperands));
    return llvm::Error::success();
  };
  auto isValue = [](const Operand &o) {
    return o.kind == K::Reg || o.kind == K::Imm;
  };
  auto vector = [&](const Operand &o, unsigned n) {
    return (n == 1 && o.kind == K::Reg) ||
           (o.kind == K::Vector && o.vecCount == n);
  };
  auto checkValues = [&](unsigned n) -> llvm::Error {
    if (llvm::Error err = count(n))
      return err;
    if (inst.ops[0].kind != K::Reg)
      return bad("the destination must be a register");
    for (unsigned k = 1; k < n; ++k)
      if (!isValue(inst.ops[k]))
        return bad("operand " + llvm::Twine(k + 1) +
                   " must be a register or an immediate");
    return llvm::Error::success();
  };
  if (inst.guard != Operand::kNoReg &&
      (inst.op == Op::Mma || inst.op == Op::Ldmatrix || inst.op == Op::BarSync))
    return bad("a guarded warp-wide instruction or barrier is not supported");
  switch (inst.op) {
  case Op::Add:
  case Op::Sub:
  case Op::Mul:
  case Op::MulWide:
  case Op::MulHi:
  case Op::Min:
  case Op::Max:
  case Op::Copysign:
  case Op::Div:
  case Op::Shl:
  case Op::Shr:
  case Op::And:
  case Op::Or:
  case Op::Xor:
  case Op::CvtPack:
    return checkValues(3);
  case Op::Mad:
  case Op::Fma:
  case Op::Bfe:
    return checkValues(4);
  case Op::Neg:
  case Op::Abs:
  case Op::Ex2:
  case Op::Rsqrt:
  case Op::Sqrt:
  case Op::Rcp:
  case Op::Cvt:
  case Op::Cvta:
  case Op::Not:
    return checkValues(2);
  case Op::Setp:
    return checkValues(3);
  case Op::Selp:
    if (llvm::Error err = checkValues(4))
      return err;
    if (inst.ops[3].kind != K::Reg)
      return bad("the selector must be a predicate register");
    return llvm::Error::success();
  case Op::Mov:
    if (llvm::Error err = count(2))
      return err;
    // mov.b32 {lo, hi}, %r (unpack) and mov.b32 %r, {lo, hi} (pack).
    if (inst.ops[0].kind == K::Vector || inst.ops[1].kind == K::Vector) {
      bool unpack = inst.ops[0].kind == K::Vector;
      const Operand &v = inst.ops[unpack ? 0 : 1];
      const Operand &s = inst.ops[unpack ? 1 : 0];
      if ((inst.type != Type::B32 && inst.type != Type::B64) ||
          v.vecCount != 2 || s.kind != K::Reg)
        return bad("only {a, b} <-> a 32- or 64-bit register of two halves");
      return llvm::Error::success();
    }
    if (inst.ops[0].kind != K::Reg ||
        !(isValue(inst.ops[1]) || inst.ops[1].kind == K::Special ||
          inst.ops[1].kind == K::Symbol))
      return bad("expected a register and a register, an immediate, a "
                 "special register or a shared symbol");
    return llvm::Error::success();
  case Op::LdParam:
    if (llvm::Error err = count(2))
      return err;
    if (inst.ops[0].kind != K::Reg || inst.ops[1].kind != K::Param ||
        inst.ops[1].imm != 0)
      return bad("expected a register and [PARAM]");
    return llvm::Error::success();
  case Op::Ld:
  case Op::St: {
    if (llvm::Error err = count(2))
      return err;
    const Operand &value = inst.ops[inst.op == Op::Ld ? 0 : 1];
    const Operand &addr = inst.ops[inst.op == Op::Ld ? 1 : 0];
    if (addr.kind != K::Addr)
      return bad("expected an address [REG+OFFSET]");
    bool immediate = inst.op == Op::St && inst.vec == 1 && value.kind == K::Imm;
    if (!immediate && !vector(value, inst.vec))
      return bad("expected " +
                 llvm::Twine(inst.vec == 1 ? "a register" : "a vector of ") +
                 (inst.vec == 1 ? "" : llvm::Twine(inst.vec)) +
                 (inst.vec == 1 ? "" : " registers"));
    if (addr.reg == Operand::kNoReg && inst.space == Space::Global)
      return bad("a global address must be a register");
    return llvm::Error::success();
  }
  case Op::Bra:
    if (llvm::Error err = count(1))
      return err;
    if (inst.ops[0].kind != K::Label)
      return bad("expected a label");
    return llvm::Error::success();
  case Op::Ret:
  case Op::CpAsyncCommit:
  case Op::CpAsyncWaitAll:
    return count(0);
  case Op::BarSync:
    if (llvm::Error err = count(1))
      return err;
    if (inst.ops[0].kind != K::Imm || inst.ops[0].imm != 0)
      return bad("only barrier 0 with all threads of the block");
    return llvm::Error::success();
  case Op::CpAsyncWait:
    if (llvm::Error err = count(1))
      return err;
    if (inst.ops[0].kind != K::Imm || inst.ops[0].imm < 0)
      return bad("expected a non-negative group count");
    return llvm::Error::success();
  case Op::Mma:
    if (llvm::Error err = count(4))
      return err;
    if (!vector(inst.ops[0], 4) || !vector(inst.ops[1], 4) ||
        !vector(inst.ops[2], 2) || !vector(inst.ops[3], 4))
      return bad("expected {4 registers}, {4}, {2}, {4}");
    return llvm::Error::success();
  case Op::Ldmatrix:
    if (llvm::Error err = count(2))
      return err;
    if (!vector(inst.ops[0], inst.vec) || inst.ops[1].kind != K::Addr)
      return bad("expected {" + llvm::Twine(inst.vec) +
                 " registers} and an address");
    return llvm::Error::success();
  case Op::CpAsync:
    if (inst.numOperands != 3 && inst.numOperands != 4)
      return bad("expected [dst], [src], size[, src-size]");
    if (inst.ops[0].kind != K::Addr || inst.ops[1].kind != K::Addr ||
        inst.ops[1].reg == Operand::kNoReg || inst.ops[2].kind != K::Imm ||
        (inst.numOperands == 4 && !isValue(inst.ops[3])))
      return bad("expected [dst], [src], size[, src-size]");
    if (inst.ops[2].imm != 4 && inst.ops[2].imm != 8 && inst.ops[2].imm != 16)
      return bad("the copy size must be 4, 8 or 16");
    if (!inst.cacheAll && inst.ops[2].imm != 16)
      return bad("cp.async.cg copies 16 bytes");
    return llvm::Error::success();
  }
  (void)kernel;
  return llvm::Error::success();
}

} // namespace

llvm::Expected<Module> mirage::emu::parsePtx(StringRef text,
                                             StringRef fileName) {
  Module module;
  module.fileName = fileName.str();
  std::vector<Token> tokens;
  if (llvm::Error err = Lexer(text).lex(tokens, fileName))
    return std::move(err);
  Parser parser(std::move(tokens), fileName, module);
  if (llvm::Error err = parser.parse())
    return std::move(err);
  return module;
}

/// The base name of `op` as written in PTX.
static const char *opName(Op op) {
  switch (op) {
  case Op::Add:
    return "add";
  case Op::Sub:
    return "sub";
  case Op::Mul:
    return "mul";
  case Op::MulWide:
    return "mul.wide";
  case Op::MulHi:
    return "mul.hi";
  case Op::Mad:
    return "mad";
  case Op::Fma:
    return "fma";
  case Op::Neg:
    return "neg";
  case Op::Abs:
    return "abs";
  case Op::Min:
    return "min";
  case Op::Max:
    return "max";
  case Op::Copysign:
    return "copysign";
  case Op::Div:
    return "div";
  case Op::Ex2:
    return "ex2";
  case Op::Rsqrt:
    return "rsqrt";
  case Op::Sqrt:
    return "sqrt";
  case Op::Rcp:
    return "rcp";
  case Op::Cvt:
  case Op::CvtPack:
    return "cvt";
  case Op::Cvta:
    return "cvta";
  case Op::Shl:
    return "shl";
  case Op::Shr:
    return "shr";
  case Op::And:
    return "and";
  case Op::Or:
    return "or";
  case Op::Xor:
    return "xor";
  case Op::Not:
    return "not";
  case Op::Bfe:
    return "bfe";
  case Op::Mov:
    return "mov";
  case Op::Setp:
    return "setp";
  case Op::Selp:
    return "selp";
  case Op::LdParam:
    return "ld.param";
  case Op::Ld:
    return "ld";
  case Op::St:
    return "st";
  case Op::Bra:
    return "bra";
  case Op::Ret:
    return "ret";
  case Op::BarSync:
    return "bar.sync";
  case Op::Mma:
    return "mma.sync";
  case Op::Ldmatrix:
    return "ldmatrix";
  case Op::CpAsync:
    return "cp.async";
  case Op::CpAsyncCommit:
    return "cp.async.commit_group";
  case Op::CpAsyncWait:
    return "cp.async.wait_group";
  case Op::CpAsyncWaitAll:
    return "cp.async.wait_all";
  }
  return "?";
}

std::string mirage::emu::describe(const Instruction &inst) {
  std::string s = opName(inst.op);
  if (inst.op == Op::Ld || inst.op == Op::St)
    s += inst.space == Space::Global ? ".global" : ".shared";
  return s;
}
