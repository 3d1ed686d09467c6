"""Mistakes interviewers see in the sinusoidal positional encoding."""

import math

import torch

from dlprep.grading.spec import mistake


def _encoding(*, first=torch.sin, second=torch.cos, exponent=lambda two_i, i: two_i, odd_exponent=None,
              start=0, layout="interleaved"):
    """The encoding with one part done the given way (all defaults: the reference).

    `exponent(two_i, i)` gives the numerator of the exponent for pair i (2i in the formula);
    `odd_exponent`, when given, is used for the odd columns 2i+1 instead.
    """

    def sinusoidal_encoding(max_len, d_model, device=None, dtype=torch.float32):
        pos = torch.arange(start, start + max_len, device=device, dtype=torch.float64).unsqueeze(1)
        i = torch.arange((d_model + 1) // 2, device=device, dtype=torch.float64)
        even = pos / 10000 ** (exponent(2 * i, i) / d_model)
        odd = even if odd_exponent is None else pos / 10000 ** (odd_exponent(2 * i, i) / d_model)
        n_odd = d_model // 2
        if layout == "interleaved":
            pe = torch.empty(max_len, d_model, device=device, dtype=torch.float64)
            pe[:, 0::2] = first(even)
            pe[:, 1::2] = second(odd[:, :n_odd])
        else:  # all the sines, then all the cosines
            pe = torch.cat([first(even), second(odd[:, :n_odd])], dim=1)
        return pe.to(dtype)

    return sinusoidal_encoding


def _float32_angles(max_len, d_model, device=None, dtype=torch.float32):
    """The well-known tutorial code, run in the output dtype."""
    position = torch.arange(max_len, device=device, dtype=dtype).unsqueeze(1)
    div_term = torch.exp(torch.arange(0, d_model, 2, device=device, dtype=dtype) * (-math.log(10000.0) / d_model))
    pe = torch.zeros(max_len, d_model, device=device, dtype=dtype)
    pe[:, 0::2] = torch.sin(position * div_term)
    pe[:, 1::2] = torch.cos(position * div_term[: d_model // 2])
    return pe


MISTAKES = [
    mistake(
        "sin-cos-swapped",
        "Sine and cosine are swapped: PE(pos, 2i) = sin(pos/10000^(2i/d)) goes in the even columns "
        "(0, 2, 4, ...) and PE(pos, 2i+1) = cos(...) in the odd ones. At pos = 0 the even columns "
        "are 0 and the odd ones 1.",
        sinusoidal_encoding=_encoding(first=torch.cos, second=torch.sin),
    ),
    mistake(
        "exponent-uses-i-not-2i",
        "The exponent is i/d instead of 2i/d: 10000^(2i/d) with i the index of the (sin, cos) pair, "
        "so the even column 2i has exponent 2i/d. Using i/d stretches the wavelengths only up to "
        "10000^(1/2) instead of spreading them from 2π to 10000·2π.",
        sinusoidal_encoding=_encoding(exponent=lambda two_i, i: i),
    ),
    mistake(
        "odd-columns-own-exponent",
        "The odd column 2i+1 uses its own index in the exponent, 10000^((2i+1)/d), instead of its "
        "pair's 2i/d. Column 2i+1 is the cosine of the *same* angle as column 2i: "
        "PE(pos, 2i+1) = cos(pos/10000^(2i/d)). (A loop `for j in range(d): angle = pos / 10000**(j/d)` "
        "makes this mistake.)",
        sinusoidal_encoding=_encoding(odd_exponent=lambda two_i, i: two_i + 1),
    ),
    mistake(
        "interleaved-vs-concatenated",
        "The sines fill the first half of the columns and the cosines the second half. The formula "
        "interleaves them: sin in the even columns 2i, cos in the odd columns 2i+1 "
        "(`pe[:, 0::2] = sin`, `pe[:, 1::2] = cos`). Concatenating is a permutation of the features, "
        "harmless in a model trained with it, but not the transformer's encoding.",
        sinusoidal_encoding=_encoding(layout="concatenated"),
    ),
    mistake(
        "positions-from-one",
        "Positions start at 1. The first position is pos = 0, whose encoding is "
        "[0, 1, 0, 1, ...]: `torch.arange(max_len)`, not `torch.arange(1, max_len + 1)`.",
        sinusoidal_encoding=_encoding(start=1),
    ),
    mistake(
        "float32-angles",
        "The angles pos/10000^(2i/d) are computed in float32. Near 10⁴, float32 numbers are ~1e-3 "
        "apart, so a float32 angle there is off by up to ~5e-4 and its sin and cos by as much: "
        "thousands of times float32's precision on values in [-1, 1]. Compute the angles in float64 "
        "and cast the result to `dtype` at the end.",
        sinusoidal_encoding=_float32_angles,
    ),
]
