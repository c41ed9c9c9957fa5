// A module without a function to compile.
func.func private @external(memref<4xf32>)
