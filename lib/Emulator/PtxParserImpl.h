//===- PtxParserImpl.h - The PTX parser's shared declarations ---*- C++ -*-===//
//
// Private to lib/Emulator: the tokens, the lexer and the recursive-descent
// parser of the PTX subset (docs/Emulator.md, "The supported subset"), whose
// pieces live in PtxLexer.cpp (tokens and types), PtxParser.cpp (directives,
// declarations, bodies and operands), PtxOpcodes.cpp (the supported opcodes
// and modifiers) and PtxValidate.cpp (operand forms per instruction).
//
//===----------------------------------------------------------------------===//

#ifndef MIRAGE_LIB_EMULATOR_PTXPARSERIMPL_H
#define MIRAGE_LIB_EMULATOR_PTXPARSERIMPL_H

#include "Mirage/Emulator/Ptx.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/Support/Error.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace mirage::emu::detail {

struct Token {
  enum Kind { Ident, Number, Punct, End } kind = End;
  llvm::StringRef text;
  unsigned line = 0;
};

class Lexer {
public:
  explicit Lexer(llvm::StringRef text) : text(text) {}

  /// Appends the tokens of the text, then an End token.
  llvm::Error lex(std::vector<Token> &tokens, llvm::StringRef fileName);

private:
  llvm::StringRef text;
};

/// The PTX type of a suffix ("f32", "bf16x2", ...), if in the subset.
std::optional<Type> parseType(llvm::StringRef s);

/// Registers per kernel: every thread of a block holds them all (1024
/// threads x 16384 registers x 12 bytes = 192 MiB at most).
inline constexpr size_t kMaxRegisters = 1 << 14;

inline bool isIntType(Type t) {
  return !isFloat(t) && t != Type::Pred && t != Type::None;
}
inline bool isArithInt(Type t) {
  // add/sub/mul/... take .s/.u types (and .b for mov-like ops only).
  return isIntType(t) && t != Type::B8 && t != Type::B16 && t != Type::B32 &&
         t != Type::B64 && typeBits(t) >= 16;
}
inline bool isScalarFloat(Type t) {
  return t == Type::F16 || t == Type::BF16 || t == Type::F32;
}
inline bool isPacked(Type t) { return t == Type::F16x2 || t == Type::BF16x2; }
/// f32, f16, bf16 and the packed pairs of the latter.
inline bool isArithFloat(Type t) { return isScalarFloat(t) || isPacked(t); }

class Parser {
public:
  Parser(std::vector<Token> tokens, llvm::StringRef fileName, Module &module)
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
  // PtxParser.cpp.
  llvm::Expected<int64_t> parseInteger();
  llvm::Error parseTopLevel();
  llvm::Error parseEntry(unsigned line);
  llvm::Error parseBody(Kernel &kernel);
  llvm::Error parseInstruction(Kernel &kernel);
  llvm::Error parseOperand(Kernel &kernel, Instruction &inst, Operand &op);
  /// PtxOpcodes.cpp: the opcode's Op, types and modifiers, or an error
  /// naming what is outside the subset.
  llvm::Error decodeOpcode(llvm::StringRef opcode, unsigned line,
                           Instruction &inst);
  /// PtxValidate.cpp: the operand count, forms and types of `inst`.
  llvm::Error checkOperands(const Kernel &kernel, const Instruction &inst,
                            llvm::StringRef opcode);

  std::vector<Token> tokens;
  size_t pos = 0;
  llvm::StringRef fileName;
  Module &module;
  // Per kernel:
  llvm::StringMap<uint32_t> registers;
  llvm::StringMap<uint32_t> labels;
  llvm::StringMap<uint32_t> params;
  std::vector<std::pair<std::string, std::pair<size_t, unsigned>>> fixups;
};

} // namespace mirage::emu::detail

#endif // MIRAGE_LIB_EMULATOR_PTXPARSERIMPL_H
