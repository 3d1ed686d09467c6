"""The multihead reference agrees with nn.MultiheadAttention(batch_first=True), gradients included."""

from __future__ import annotations

import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.katas.helpers import bool_mask
from tests.katas.strategies import reference, seeds, small

ref = reference("multihead")


def _module(E, h, gen):
    mha = torch.nn.MultiheadAttention(E, h, batch_first=True, dropout=0.0, dtype=torch.float64)
    with torch.no_grad():  # random values everywhere, biases included (PyTorch starts them at 0)
        for p in mha.parameters():
            p.copy_(torch.randn(p.shape, generator=gen, dtype=torch.float64) / E**0.5)
    return mha


@settings(max_examples=25, deadline=None)
@given(B=small, L=small, S=small, h=st.integers(1, 4), d=st.integers(1, 4),
       mask_kind=st.sampled_from(["none", "2d", "3d"]), seed=seeds)
def test_matches_nn_multihead_attention(B, L, S, h, d, mask_kind, seed):
    gen = torch.Generator().manual_seed(seed)
    E = h * d
    mha = _module(E, h, gen)
    query = torch.randn(B, L, E, generator=gen, dtype=torch.float64, requires_grad=True)
    key = torch.randn(B, S, E, generator=gen, dtype=torch.float64, requires_grad=True)
    value = torch.randn(B, S, E, generator=gen, dtype=torch.float64, requires_grad=True)
    mask = bool_mask(mask_kind, B, L, S, gen)
    upstream = (torch.randn(B, L, E, generator=gen, dtype=torch.float64), torch.randn(B, L, S, generator=gen, dtype=torch.float64))

    params = (mha.in_proj_weight, mha.in_proj_bias, mha.out_proj.weight, mha.out_proj.bias)
    output, weights = ref.multi_head_attention(query, key, value, h, *params, mask=mask)

    # nn.MultiheadAttention: boolean attn_mask True = masked, the opposite of ours;
    # a 3-D attn_mask is (B·h, L, S), one per batch element and head.
    attn_mask = None if mask is None else ~(mask.repeat_interleave(h, dim=0) if mask.dim() == 3 else mask)
    want_output, want_weights = mha(query, key, value, attn_mask=attn_mask, need_weights=True, average_attn_weights=True)
    torch.testing.assert_close(output, want_output, rtol=1e-10, atol=1e-12)
    torch.testing.assert_close(weights, want_weights, rtol=1e-10, atol=1e-12)
    torch.testing.assert_close(weights.sum(-1), torch.ones(B, L, dtype=torch.float64))
    if mask is not None:
        assert (weights[~mask.expand(B, L, S)] == 0).all()

    inputs = (query, key, value, *params)
    mine = torch.autograd.grad((output, weights), inputs, upstream)
    theirs = torch.autograd.grad((want_output, want_weights), inputs, upstream)
    for a, b in zip(mine, theirs, strict=True):
        torch.testing.assert_close(a, b, rtol=1e-9, atol=1e-11)


def test_one_head_is_attention_between_projections():
    gen = torch.Generator().manual_seed(0)
    E = 5
    x = torch.randn(2, 3, E, generator=gen, dtype=torch.float64)
    W_in, b_in = torch.randn(3 * E, E, generator=gen, dtype=torch.float64), torch.randn(3 * E, generator=gen, dtype=torch.float64)
    W_out, b_out = torch.eye(E, dtype=torch.float64), torch.zeros(E, dtype=torch.float64)
    q, k, v = (x @ W.T + b for W, b in zip(W_in.chunk(3), b_in.chunk(3)))
    weights = torch.softmax(q @ k.transpose(-2, -1) / E**0.5, dim=-1)
    output, got = ref.multi_head_attention(x, x, x, 1, W_in, b_in, W_out, b_out)
    torch.testing.assert_close(got, weights)
    torch.testing.assert_close(output, weights @ v)


def test_reference_stays_on_the_meta_device():
    B, L, S, E = 2, 4, 3, 6
    args = [torch.empty(s, device="meta") for s in ((B, L, E), (B, S, E), (B, S, E))]
    params = [torch.empty(s, device="meta") for s in ((3 * E, E), (3 * E,), (E, E), (E,))]
    mask = torch.empty(B, L, S, dtype=torch.bool, device="meta")
    output, weights = ref.multi_head_attention(*args, 3, *params, mask=mask)
    assert output.device.type == weights.device.type == "meta"
    assert output.shape == (B, L, E) and weights.shape == (B, L, S)
