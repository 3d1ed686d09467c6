"""Reference for `grad_clipping`: clip_grad_value_ and clip_grad_norm_, as torch.nn.utils.

Both modify p.grad in place and skip parameters whose .grad is None. The norm is global: the
p-norm of all gradients together, as if they were concatenated into one vector.
"""

import torch


def _parameters(params):
    return [params] if isinstance(params, torch.Tensor) else list(params)  # a generator is read once


@torch.no_grad()
def clip_grad_value_(params, clip_value):
    for p in _parameters(params):
        if p.grad is not None:
            p.grad.clamp_(-clip_value, clip_value)  # g = clip(g, -c, c), elementwise


@torch.no_grad()
def clip_grad_norm_(params, max_norm, norm_type=2.0):
    grads = [p.grad for p in _parameters(params) if p.grad is not None]
    if not grads:
        return torch.tensor(0.0)  # as torch.nn.utils: nothing to measure or clip
    norms = torch.stack([torch.linalg.vector_norm(g, norm_type) for g in grads])  # one per parameter
    total_norm = torch.linalg.vector_norm(norms, norm_type)  # the norm of the norms is the global norm
    coef = (max_norm / (total_norm + 1e-6)).clamp(max=1.0)  # 1e-6: no 0/0; clamp: never scale up
    for g in grads:
        g.mul_(coef)  # always multiplied, even by 1: no data-dependent `if` (no GPU sync)
    return total_norm  # the norm before clipping
