"""Kata `grad_clipping`: clip gradients by value and by (global) norm.

Implement both as `torch.nn.utils` does, without calling it (`torch.nn.utils.clip_grad*` and
`torch.nn.utils.get_total_norm` are forbidden; `torch.linalg.vector_norm` is fine).
Grade with `dlprep grade grad_clipping`.
"""

import torch


def clip_grad_value_(params, clip_value):
    """Clamp every gradient entry to [-clip_value, clip_value], in place.

        g = clip(g, -clip_value, clip_value)        (elementwise)

    Args:
        params: an iterable of tensors (a generator, like model.parameters(): read it once),
            or a single tensor. Parameters whose .grad is None are skipped.
        clip_value: a positive Python float.

    Returns:
        None. Each p.grad is modified in place; the parameters themselves are not touched.
    """
    raise NotImplementedError


def clip_grad_norm_(params, max_norm, norm_type=2.0):
    """Rescale all gradients together so that their global norm is at most max_norm, in place.

        total_norm = ‖(‖g₁‖ₚ, ‖g₂‖ₚ, ...)‖ₚ          (the p-norm of every entry of every gradient)
        coef = min(max_norm / (total_norm + 1e-6), 1)
        g = g · coef                                  (for every gradient, always: no `if`)

    ‖g‖ₚ = (Σ|g|ᵖ)^(1/p); for norm_type = inf, max |g|.

    Args:
        params: an iterable of tensors (a generator: read it once), or a single tensor.
            Parameters whose .grad is None are left out of the norm and keep .grad None.
        max_norm: a positive Python float.
        norm_type: p, a Python float (2.0, 1.0, 3.0, float("inf"), ...).

    Returns:
        total_norm, a 0-d tensor on the gradients' device and dtype: the norm *before* clipping.
    """
    raise NotImplementedError
