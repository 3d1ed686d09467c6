"""The attention reference agrees with F.scaled_dot_product_attention, gradients included."""

from __future__ import annotations

import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.katas.strategies import reference, seeds, small

attention = reference("attention")


@settings(max_examples=30, deadline=None)
@given(batch=st.lists(small, max_size=2), L=small, S=small, d_k=small, d_v=small, causal=st.booleans(), seed=seeds)
def test_matches_scaled_dot_product_attention(batch, L, S, d_k, d_v, causal, seed):
    g = torch.Generator().manual_seed(seed)
    Q = torch.randn(*batch, L, d_k, dtype=torch.float64, generator=g, requires_grad=True)
    K = torch.randn(*batch, S, d_k, dtype=torch.float64, generator=g, requires_grad=True)
    V = torch.randn(*batch, S, d_v, dtype=torch.float64, generator=g, requires_grad=True)
    # Causal over L x S, never masking a whole row (the contract's promise).
    mask = torch.ones(L, S, dtype=torch.bool).tril(diagonal=max(S - L, 0)) if causal else None
    upstream = torch.randn(*batch, L, d_v, dtype=torch.float64, generator=g)

    output, weights = attention.self_attention(Q, K, V, mask)
    expected = F.scaled_dot_product_attention(Q, K, V, attn_mask=mask)
    torch.testing.assert_close(output, expected, rtol=1e-10, atol=1e-12)
    torch.testing.assert_close(weights.sum(-1), torch.ones(*batch, L, dtype=torch.float64))
    if mask is not None:
        assert (weights[..., ~mask] == 0).all()

    mine = torch.autograd.grad(output, (Q, K, V), upstream)
    theirs = torch.autograd.grad(expected, (Q, K, V), upstream)
    for a, b in zip(mine, theirs):
        torch.testing.assert_close(a, b, rtol=1e-9, atol=1e-11)


def test_causal_mask_is_lower_triangular():
    assert attention.causal_mask(3).tolist() == [[True, False, False], [True, True, False], [True, True, True]]


def test_reference_stays_on_the_meta_device():
    Q, K, V = (torch.empty(2, 4, 3, device="meta") for _ in range(3))
    output, weights = attention.self_attention(Q, K, V, attention.causal_mask(4, device="meta"))
    assert output.device.type == weights.device.type == "meta"
    assert output.shape == (2, 4, 3) and weights.shape == (2, 4, 4)
