%y:2147483648 = thread.fused (%a) : f16 {
}
