"""PyTorch versions of the examples, written from their .mlir semantics
(examples/*.mlir, docs/Semantics.md). Needs torch; imported by run.py only.

Each function takes the example's inputs in argument order and works in
any float dtype: called on fp16 tensors it is the eager baseline (and what
torch.compile compiles), called on fp32 copies it is the numerical
reference. Semantics that are easy to get wrong:

* kernel.rms_norm over the last dimension has eps = 0 and no weight:
  x / sqrt(mean(x^2)).
* Attention is softmax *without* max subtraction and without the 1/sqrt(d)
  scale: S = exp(Q K); O = (S / sum_last(S)) V, with K stored transposed
  (..., d, n).
* kernel.matmul is batched over the leading dimensions.
"""

import torch
import torch.nn.functional as F


def rms_norm(x):
    return x * torch.rsqrt(x.pow(2).mean(dim=-1, keepdim=True))


def rmsnorm_matmul(x, w):
    return rms_norm(x) @ w


def gated_mlp(x, w1, w2):
    return F.silu(x @ w1) * (x @ w2)


def lora(x, w, a, b):
    return x @ w + (x @ a) @ b


def attention(q, k, v):
    s = torch.exp(q @ k)
    return (s / s.sum(dim=-1, keepdim=True)) @ v


def qknorm_gqa(q, k, v):
    return attention(rms_norm(q), k, rms_norm(v))


def ntrans(h, x, alpha):
    return rms_norm(x + alpha * (rms_norm(h) + x))


def moe(x, a, b):
    return torch.exp(x @ a) @ b


REFERENCES = {
    "rmsnorm_matmul": rmsnorm_matmul,
    "gated_mlp": gated_mlp,
    "lora": lora,
    "gqa": attention,
    "qknorm_gqa": qknorm_gqa,
    "mha": attention,
    "mqa": attention,
    "ntrans": ntrans,
    "moe": moe,
}


def sdpa_inputs(name, q, k, v):
    """The inputs of the scaled_dot_product_attention baseline, prepared
    once outside the timed region: 4-D (1, heads, length, dim) and K in
    SDPA's (n, d) layout. Our programs read K as stored, (d, n)."""
    return (q.unsqueeze(0), k.transpose(-1, -2).contiguous().unsqueeze(0),
            v.unsqueeze(0))


def sdpa(name):
    """The SDPA baseline of an attention example, on sdpa_inputs(); scale 1
    matches exp(Q K) (SDPA's max subtraction changes nothing but overflow)."""
    def run(q, k_t, v):
        if name == "qknorm_gqa":
            q, v = rms_norm(q), rms_norm(v)
        return F.scaled_dot_product_attention(q, k_t, v, scale=1.0).squeeze(0)
    return run
