//===- PtxParser.cpp - Parse the PTX subset of our bundles ----------------===//
//
// A recursive-descent parser for the PTX that the NVPTX back end emits for
// our kernels (docs/Emulator.md, "The supported subset"): the module and
// kernel directives, declarations, bodies, labels, guards and operands.
// Every instruction is decoded into Op + type + modifiers (PtxOpcodes.cpp)
// and its operand forms checked (PtxValidate.cpp); an opcode, a modifier, a
// directive or an operand form outside the subset is an error naming it and
// its line.
//
//===----------------------------------------------------------------------===//

#include "PtxParserImpl.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSwitch.h"

using namespace mirage::emu;
using namespace mirage::emu::detail;
using llvm::StringRef;

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
