//===- BlockDialect.cpp - The block level of a μGraph -----------*- C++ -*-===//

#include "Mirage/Dialect/Block/IR/BlockDialect.h"
#include "Mirage/Dialect/Block/IR/BlockOps.h"
#include "Mirage/Dialect/Common/MirageTraits.h"
#include "Mirage/Support/ShapeRules.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/TypeSwitch.h"

#include <limits>

using namespace mlir;
using namespace mirage::block;

#include "Mirage/Dialect/Block/IR/BlockDialect.cpp.inc"

#define GET_TYPEDEF_CLASSES
#include "Mirage/Dialect/Block/IR/BlockTypes.cpp.inc"

void BlockDialect::initialize() {
  addTypes<
#define GET_TYPEDEF_LIST
#include "Mirage/Dialect/Block/IR/BlockTypes.cpp.inc"
      >();
  addOperations<
#define GET_OP_LIST
#include "Mirage/Dialect/Block/IR/BlockOps.cpp.inc"
      >();
}

//===----------------------------------------------------------------------===//
// TileType
//===----------------------------------------------------------------------===//

static constexpr StringLiteral kPreKeyword = "pre";
static constexpr StringLiteral kPostKeyword = "post";

Type TileType::parse(AsmParser &parser) {
  SmallVector<int64_t> shape;
  Type elementType;
  SMLoc loc = parser.getCurrentLocation();
  if (parser.parseLess() ||
      parser.parseDimensionList(shape, /*allowDynamic=*/false,
                                /*withTrailingX=*/true) ||
      parser.parseType(elementType) || parser.parseComma())
    return {};
  SMLoc stateLoc = parser.getCurrentLocation();
  StringRef state;
  if (parser.parseKeyword(&state))
    return {};
  if (state != kPreKeyword && state != kPostKeyword) {
    parser.emitError(stateLoc)
        << "expected accumulation state 'pre' or 'post', got '" << state << "'";
    return {};
  }
  if (parser.parseGreater())
    return {};
  return getChecked([&] { return parser.emitError(loc); }, parser.getContext(),
                    shape, elementType, state == kPostKeyword);
}

void TileType::print(AsmPrinter &printer) const {
  printer << "<";
  for (int64_t dim : getShape())
    printer << dim << "x";
  printer << getElementType() << ", "
          << (getAccumulated() ? kPostKeyword : kPreKeyword) << ">";
}

LogicalResult TileType::verify(function_ref<InFlightDiagnostic()> emitError,
                               ArrayRef<int64_t> shape, Type elementType,
                               bool accumulated) {
  if (shape.empty() || shape.size() > ::mirage::kMaxRank)
    return emitError() << "tile rank must be between 1 and "
                       << ::mirage::kMaxRank << ", got " << shape.size();
  for (auto [index, dim] : llvm::enumerate(shape))
    if (dim < 1)
      return emitError() << "tile dimension " << index
                         << " must be positive, got " << dim;
  if (!::mirage::isSupportedElementType(elementType))
    return emitError() << "tile element type must be f16, bf16 or f32, got "
                       << elementType;
  if (!::mirage::checkedNumBytes(shape,
                                 elementType.getIntOrFloatBitWidth() / 8))
    return emitError() << "tile " << ::mirage::formatShape(shape)
                       << " has more than 2^63 - 1 bytes, the limit of a "
                          "tile";
  return success();
}

int64_t TileType::getSizeInBytes() const {
  // The verifier guarantees the byte count fits; saturate all the same.
  return ::mirage::checkedNumBytes(getShape(),
                                   getElementType().getIntOrFloatBitWidth() / 8)
      .value_or(std::numeric_limits<int64_t>::max());
}
