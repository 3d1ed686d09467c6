"""What the statistical katas (`init`, `dropout`, `decoding`, `mlm_masking`) share: tail bounds
whose false-failure rates are proven, the seeds of their draws, and the generators made from
them, and the global random states (NumPy's, torch's), which a submission must leave alone (it
draws only from the generator it is given)."""

from __future__ import annotations

import math

import numpy as np

LOG_ODDS = math.log(1e9)
"""x in the tail bounds: each one-sided bound fails a correct sampler with probability ≤ e^(−x) = 1e-9."""


def chi2_ratio_bounds(n: int, x: float = LOG_ODDS) -> tuple[float, float]:
    """Bounds on χ²ₙ/n, each side broken with probability ≤ e^(−x) (Laurent & Massart, 2000)."""
    return 1.0 - 2.0 * math.sqrt(x / n), 1.0 + 2.0 * math.sqrt(x / n) + 2.0 * x / n


def bernstein_halfwidth(n: int, q: float, x: float = LOG_ODDS) -> float:
    """t with P(|Binomial(n, q) − nq| ≥ t) ≤ 2e^(−x) (Bernstein's inequality), as a fraction of n."""
    return (x / 3.0 + math.sqrt(x * x / 9.0 + 2.0 * x * n * q * (1.0 - q))) / n


def normal_tail(k: float) -> float:
    """P(|Z| > k) for a standard normal Z."""
    return math.erfc(k / math.sqrt(2.0))


def global_state():
    return np.random.get_state(legacy=False)


def same_state(a, b) -> bool:
    return (
        a["bit_generator"] == b["bit_generator"]
        and np.array_equal(a["state"]["key"], b["state"]["key"])
        and a["state"]["pos"] == b["state"]["pos"]
        and a["has_gauss"] == b["has_gauss"]
        and a["gauss"] == b["gauss"]
    )


def draw_seed(rng: np.random.Generator) -> int:
    return int(rng.integers(2**62))


def torch_generator(like, seed: int):
    """A torch generator on the device of the tensor `like`, seeded with `seed`."""
    import torch

    return torch.Generator(device=like.device).manual_seed(seed)


def torch_global_states(device) -> list:
    """torch's global random states that a draw on `device` could advance."""
    import torch

    states = [torch.random.get_rng_state()]
    if device.type == "cuda":
        states.append(torch.cuda.get_rng_state(device))
    return states
