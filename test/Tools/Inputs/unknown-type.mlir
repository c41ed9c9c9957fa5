// A type of a dialect that is not registered.
func.func @unknown_type(%x: !mystery.tile<64x64xf16>) {
  return
}
