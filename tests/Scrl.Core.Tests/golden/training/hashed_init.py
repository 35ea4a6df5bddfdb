"""Deterministic, platform-exact tensor values shared with tests/Scrl.Core.Tests/Support/HashedInit.cs.

Goldens for a full ResNet step would be far too large if they stored the initial weights, so both sides
generate them from each tensor's name with integer hashing (exact in numpy and C#) instead of an RNG.
"""
import math

import numpy as np
import torch

_MASK = (1 << 64) - 1


def name_seed(name: str) -> int:
    """FNV-1a 64 of the UTF-8 name."""
    h = 0xCBF29CE484222325
    for b in name.encode("utf-8"):
        h = ((h ^ b) * 0x100000001B3) & _MASK
    return h


def uniform(name: str, n: int) -> np.ndarray:
    """n values in [-1, 1): SplitMix64's finaliser over (seed, element index)."""
    with np.errstate(over="ignore"):
        k = np.arange(1, n + 1, dtype=np.uint64)
        z = np.uint64(name_seed(name)) * np.uint64(0x9E3779B97F4A7C15) + k * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        z = z ^ (z >> np.uint64(31))
    return (z >> np.uint64(11)).astype(np.float64) * (2.0 ** -53) * 2.0 - 1.0


def values(name: str, shape, dtype) -> torch.Tensor:
    """Kaiming-uniform convolutions, 1/sqrt(fan_in) linears, BN gamma 1 +- 0.1, biases +- 0.1."""
    n = int(np.prod(shape)) if len(shape) else 1
    v = uniform(name, n)
    if len(shape) >= 2:
        fan_in = n // shape[0]
        bound = math.sqrt(6.0 / fan_in) if len(shape) == 4 else 1.0 / math.sqrt(fan_in)
        v = v * bound
    elif name.endswith("weight"):
        v = 1.0 + 0.1 * v
    else:
        v = 0.1 * v
    return torch.from_numpy(v.reshape(shape)).to(dtype)


def sample_indices(n: int, count: int) -> np.ndarray:
    """Up to `count` distinct flat indices spread over a tensor of n elements (prime stride)."""
    if n <= count:
        return np.arange(n)
    assert n % 7919 != 0
    return (np.arange(count, dtype=np.int64) * 7919 + 13) % n
