"""Cases for `vit_patches`: patchify(images, patch_size) and patch_embed(images, patch_size, weight,
bias, cls_token, pos_embed).

Shapes are chosen so that each convention shows: C > 1 (the (C, P, P) flattening), h ≠ w and both
above 1 (row-major patch order), P below H and W. Invalid sizes are their own cases: `run` reports
whether patchify raised ValueError.
"""

from __future__ import annotations

import numpy as np

from dlprep.grading.spec import Case

RAISED = ("raised ValueError",)


def run(impl, case: Case, args: dict):
    if case.outputs != RAISED:
        return getattr(impl, case.call)(**args)
    try:
        impl.patchify(**args)
    except ValueError:
        return True
    return False


def _shape_name(images, P):
    return f"images {'×'.join(map(str, images.shape))}, P {P}"


def _patchify_case(rng, label, shape, P, *, dtype="float64", note=""):
    B, C, H, W = shape
    images = rng.standard_normal(shape)
    return Case(
        name=f"patchify, {label}: {_shape_name(images, P)}",
        call="patchify",
        args={"images": images, "patch_size": P},
        dtype=dtype,
        grad=("images",),
        upstream=(rng.standard_normal((B, (H // P) * (W // P), C * P * P)),),
        note=note,
    )


def _invalid_case(rng, label, shape, P):
    return Case(
        name=f"patchify, {label}: images {'×'.join(map(str, shape))}, P {P}",
        call="patchify",
        args={"images": rng.standard_normal(shape), "patch_size": P},
        outputs=RAISED,
        note="H and W must be multiples of P: raise ValueError otherwise (never crop silently)",
    )


def _embed_case(rng, label, shape, P, D, *, dtype="float64", note=""):
    B, C, H, W = shape
    N = (H // P) * (W // P)
    images = rng.standard_normal(shape)
    return Case(
        name=f"patch_embed, {label}: {_shape_name(images, P)}, D {D}",
        call="patch_embed",
        args={
            "images": images,
            "patch_size": P,
            "weight": rng.standard_normal((D, C, P, P)) / np.sqrt(C * P * P),
            "bias": rng.standard_normal(D) * 0.1,
            "cls_token": rng.standard_normal((1, 1, D)),
            "pos_embed": rng.standard_normal((1, N + 1, D)),
        },
        dtype=dtype,
        grad=("images", "weight", "bias", "cls_token", "pos_embed"),
        upstream=(rng.standard_normal((B, N + 1, D)),),
        note=note,
    )


def cases(rng: np.random.Generator) -> list[Case]:
    order = "patch n = r·w + c (row-major over the h × w grid of patches), each flattened in (C, P, P) order"
    tokens = "token 0 is cls_token, tokens 1 … N the projected patches; pos_embed is added to all N + 1"
    return [
        _patchify_case(rng, "2 × 3 patches", (2, 3, 8, 12), 4, note=order),
        _patchify_case(rng, "square grid of 2 × 2 patches", (1, 2, 6, 6), 3, note=order),
        _patchify_case(rng, "one channel", (2, 1, 4, 8), 2, note=order),
        _patchify_case(rng, "1 × 1 patches", (2, 3, 3, 2), 1, note="P = 1: every pixel is a patch of C values"),
        _patchify_case(rng, "one patch covers the image", (2, 2, 4, 4), 4, note="P = H = W: N = 1"),
        _patchify_case(rng, "a single column of patches", (2, 3, 12, 4), 4, note=order),
        _patchify_case(rng, "float32", (2, 3, 8, 8), 4, dtype="float32", note=order),
        _invalid_case(rng, "H not a multiple of P", (1, 3, 10, 8), 4),
        _invalid_case(rng, "W not a multiple of P", (2, 1, 8, 6), 4),
        _embed_case(rng, "2 × 2 patches", (2, 3, 8, 8), 4, 6, note=tokens),
        _embed_case(rng, "2 × 3 patches", (2, 3, 8, 12), 4, 5, note=tokens),
        _embed_case(rng, "batch of one", (1, 2, 6, 9), 3, 8, note=tokens),
        _embed_case(rng, "one channel, 2 × 2 pixel patches", (3, 1, 4, 6), 2, 4, note=tokens),
        _embed_case(rng, "D = C·P·P", (2, 2, 4, 4), 2, 8,
                    note="weight (D, C, P, P) flattens to (D, C·P·P): `weight.reshape(D, -1)`, then transpose"),
        _embed_case(rng, "float32, 4 × 4 patches", (2, 3, 16, 16), 4, 8, dtype="float32", note=tokens),
    ]
