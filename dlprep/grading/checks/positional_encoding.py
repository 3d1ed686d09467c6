"""Cases for `positional_encoding`: sinusoidal_encoding(max_len, d_model, device=None, dtype=torch.float32).

`dtype` is a torch dtype, which cannot travel to the learner's process: cases carry its name
("float32", "float64") and `run` turns it back into `torch.float32` or `torch.float64`.

Tolerances. float64: relative 1e-7, absolute 1e-9. float32 up to a few hundred positions:
relative 1e-5, absolute 1e-6 × (max_len − 1), i.e. proportional to the largest angle, which is
what float32 arithmetic on the angles allows (its error is ~5e-8 × the angle). float32 at
max_len 10 000: relative 1e-5, absolute 1e-6, i.e. the float32 rounding of the exact values
(which is within 3e-8): this case asks for the angles to be computed in float64 and cast.
"""

from __future__ import annotations

import numpy as np

from dlprep.grading.spec import DEVICE, Case


def run(impl, case: Case, args: dict):
    import torch

    args = dict(args)
    if "dtype" in args:
        args["dtype"] = getattr(torch, args["dtype"])
    return impl.sinusoidal_encoding(**args)


def _case(name, max_len, d_model, dtype="float64", *, pass_dtype=True, angle_tolerance=False, note=""):
    args = {"max_len": max_len, "d_model": d_model, "device": DEVICE}
    if pass_dtype:
        args["dtype"] = dtype
    shown = f"dtype={dtype}" if pass_dtype else f"dtype not given ({dtype})"
    return Case(
        name=f"{name}: max_len {max_len}, d_model {d_model}, {shown}",
        call="sinusoidal_encoding",
        args=args,
        dtype=dtype,
        outputs=("pe",),
        # No array inputs: the absolute tolerance is 1e-9 (float64) or 1e-6 (float32) unless the
        # case allows for float32 rounding of angles up to max_len - 1.
        scale=float(max_len - 1) if angle_tolerance else 1.0,
        note=note,
    )


def cases(rng: np.random.Generator) -> list[Case]:
    del rng  # nothing random: the encoding is a fixed table
    return [
        _case("small", 16, 8, note="PE(pos, 2i) = sin(pos/10000^(2i/d)) in even columns, cos in odd ones"),
        _case("odd d_model", 12, 7, note="odd d_model: 4 sine columns and 3 cosine columns; the last column is a sine"),
        _case("d_model 1", 5, 1, note="a single column: PE(pos, 0) = sin(pos)"),
        _case("d_model 2", 6, 2, note="PE(pos, 0) = sin(pos), PE(pos, 1) = cos(pos)"),
        _case("one position", 1, 6, note="position 0 alone: [0, 1, 0, 1, 0, 1]"),
        _case("the paper's d_model", 50, 512, note="d = 512 as in the original transformer: wavelengths from 2π to 10000·2π"),
        _case("default dtype", 20, 6, "float32", pass_dtype=False, angle_tolerance=True,
              note="without `dtype` the result is float32 (the signature's default)"),
        _case("float32", 128, 32, "float32", angle_tolerance=True,
              note="float32 output; tolerance 1e-6 × the largest angle, which float32 arithmetic on the angles meets"),
        _case("float32, odd d_model", 40, 9, "float32", angle_tolerance=True),
        _case("large positions", 10_000, 12, note="positions up to 9999"),
        _case("large positions, float32", 10_000, 12, "float32",
              note="angles up to 9999: in float32 they are off by up to ~5e-4 before the sin runs. Compute the "
                   "angles in float64 and cast the result to `dtype`; expected within 1e-6 of the exact values"),
    ]
