//===- Sha256.h - SHA-256 (FIPS 180-4) --------------------------*- C++ -*-===//
//
// The manifest pins its PTX file by SHA-256, so that a stale or edited PTX
// is refused before it is launched. The runtime has no crypto library to
// lean on, so it carries this small implementation.
//
//===----------------------------------------------------------------------===//

#ifndef MIRAGERUNTIME_SHA256_H
#define MIRAGERUNTIME_SHA256_H

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace mirage::rt {

/// Incremental SHA-256.
class Sha256 {
public:
  Sha256();
  void update(std::string_view data);
  /// The digest; the object must not be updated afterwards.
  std::array<uint8_t, 32> finish();

private:
  void compress(const uint8_t block[64]);

  std::array<uint32_t, 8> state;
  std::array<uint8_t, 64> buffer;
  size_t buffered = 0;
  uint64_t totalBytes = 0;
};

/// The digest of `data` as 64 lower-case hex digits.
std::string sha256Hex(std::string_view data);

} // namespace mirage::rt

#endif // MIRAGERUNTIME_SHA256_H
