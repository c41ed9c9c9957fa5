//===- Ptx.h - The kernel entries of a PTX module ---------------*- C++ -*-===//
//
// Before anything is launched, the runtime checks the manifest against the
// PTX text: every kernel it names must be an `.entry` of the module, with
// one parameter per manifest argument, each a 64-bit scalar (the
// bare-pointer calling convention). A launch with the wrong number or kind
// of parameters would read garbage pointers on the GPU; this scan turns that
// into an error message. It is a scan, not a PTX parser: it strips comments,
// finds `.entry NAME (...)`, splits the parameter list and finds the body's
// closing brace. It rejects what the driver would load differently from what
// the manifest describes: a NUL byte (the driver stops reading there), a
// missing or empty `.target`, an entry whose body is never closed (truncated
// text), and two entries of one name.
//
//===----------------------------------------------------------------------===//

#ifndef MIRAGERUNTIME_PTX_H
#define MIRAGERUNTIME_PTX_H

#include "MirageRuntime/Error.h"

#include <string>
#include <string_view>
#include <vector>

namespace mirage::rt {

struct PtxParam {
  /// The declaration as written, e.g. ".param .u64 foo_param_0".
  std::string text;
  /// A .u64, .b64 or .s64 scalar: what a device pointer is passed as.
  bool isPointerSized = false;
};

struct PtxEntry {
  std::string name;
  std::vector<PtxParam> params;
};

struct PtxModule {
  /// The architectures of the `.target` directive, e.g. {"sm_90"}; empty
  /// when there is none.
  std::vector<std::string> targets;
  std::vector<PtxEntry> entries;

  const PtxEntry *findEntry(std::string_view name) const;
};

/// Scans PTX text. Fails when the text has no `.version` directive (not
/// PTX), holds a NUL byte, has no `.target` or an empty one, or an `.entry`
/// is malformed, unclosed or duplicated.
Expected<PtxModule> scanPtx(std::string_view ptx);

} // namespace mirage::rt

#endif // MIRAGERUNTIME_PTX_H
