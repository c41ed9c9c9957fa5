//===- VocabularyGen.td - The core's enums and kind table -*- tablegen -*-===//
//
// Generates, from Vocabulary.td and AccumKind.td, what the MLIR-free core includes through
// Mirage/Support/Vocabulary.h:
//  * mlir-tblgen -gen-enum-decls/-gen-enum-defs: OpKind (every op kind),
//    UnaryOpKind, BinaryOpKind and NonElementwiseOpKind (the kinds of each
//    category, with the values of their OpKind enumerators, so that a switch
//    over one lists just those), AbsOp (the operators of abstract expressions: the abstract
//    functions, with their OpKind values, then the abstract-only operators)
//    and AccumKind;
//  * llvm-tblgen -gen-searchable-tables: the table of every op kind's
//    properties, indexed by OpKind, and its lookup by mnemonic.
//
//===----------------------------------------------------------------------===//

include "Mirage/Support/AccumKind.td"
include "Mirage/Support/Vocabulary.td"
include "llvm/TableGen/SearchableTable.td"

defvar MirageOpKindCases = !foreach(i, !range(MirageOps),
    I32EnumCase<MirageOps[i].cppName, i, MirageOps[i].mnemonic>);

// The cases of OpKind of the element-wise and the abstract kinds.
defvar MirageUnaryCases = !filter(c, MirageOpKindCases,
    !eq(MirageOps[c.value].category, MirageUnary));
defvar MirageBinaryCases = !filter(c, MirageOpKindCases,
    !eq(MirageOps[c.value].category, MirageBinary));
defvar MirageNonElementwiseCases = !filter(c, MirageOpKindCases,
    !and(!ne(MirageOps[c.value].category, MirageUnary),
         !ne(MirageOps[c.value].category, MirageBinary)));
defvar MirageAbstractCases = !filter(c, MirageOpKindCases,
    MirageOps[c.value].abstract);

def MirageOpKind : I32Enum<"OpKind", "an op kind of the compact μGraph",
                           MirageOpKindCases> {
  let cppNamespace = "::mirage";
  let underlyingType = "uint8_t";
}

def MirageUnaryOpKind : I32Enum<"UnaryOpKind",
    "an element-wise unary op kind (values of OpKind)", MirageUnaryCases> {
  let cppNamespace = "::mirage";
  let underlyingType = "uint8_t";
}

def MirageBinaryOpKind : I32Enum<"BinaryOpKind",
    "an element-wise binary op kind (values of OpKind)", MirageBinaryCases> {
  let cppNamespace = "::mirage";
  let underlyingType = "uint8_t";
}

def MirageNonElementwiseOpKind : I32Enum<"NonElementwiseOpKind",
    "an op kind that is not element-wise (values of OpKind)",
    MirageNonElementwiseCases> {
  let cppNamespace = "::mirage";
  let underlyingType = "uint8_t";
}

def MirageAbsOp : I32Enum<"AbsOp",
    "an operator of abstract expressions",
    !listconcat(MirageAbstractCases,
        !foreach(i, !range(MirageAbstractOnlyOps),
            I32EnumCase<MirageAbstractOnlyOps[i].cppName,
                        !add(!size(MirageOps), i),
                        MirageAbstractOnlyOps[i].mnemonic>))> {
  let cppNamespace = "::mirage";
  let underlyingType = "uint16_t";
}

def MirageOpKindTable : GenericTable {
  let FilterClass = "MirageOpKindEntry";
  let CppTypeName = "OpKindInfo";
  let Fields = ["mnemonic", "value", "unary", "binary", "math", "stamped",
                "abstract", "searchKernel", "searchBlock", "inPlace",
                "expLike", "costPerElement"];
  let PrimaryKey = ["value"];
  let PrimaryKeyName = "lookupOpKindInfoByValue";
}

def lookupOpKindInfoByMnemonic : SearchIndex {
  let Table = MirageOpKindTable;
  let Key = ["mnemonic"];
}
