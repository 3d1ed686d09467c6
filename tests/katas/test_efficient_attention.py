"""The efficient_attention reference agrees with F.scaled_dot_product_attention and with the closed
forms, gradients included; a submission that forms the (L, S) matrix fails even when its values are right."""

from __future__ import annotations

import math

import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st

from dlprep import paths
from dlprep.grading import grader, loaders
from dlprep.katas.catalog import load
from tests.katas.strategies import reference, seeds, small

ref = reference("efficient_attention")
KATA = load().get("efficient_attention")
lengths = st.integers(min_value=1, max_value=12)


def _randn(gen, *shape, grad=True):
    return torch.randn(*shape, dtype=torch.float64, generator=gen).requires_grad_(grad)


def _assert_same_with_grads(mine, theirs, inputs, gen):
    torch.testing.assert_close(mine, theirs, rtol=1e-10, atol=1e-12)
    upstream = torch.randn(mine.shape, dtype=torch.float64, generator=gen)
    for a, b in zip(torch.autograd.grad(mine, inputs, upstream), torch.autograd.grad(theirs, inputs, upstream)):
        torch.testing.assert_close(a, b, rtol=1e-9, atol=1e-11)


@settings(max_examples=40, deadline=None)
@given(batch=st.lists(small, max_size=2), L=lengths, S=lengths, d_k=small, d_v=small,
       block_size=st.integers(1, 8), causal=st.booleans(), seed=seeds)
def test_flash_attention_matches_scaled_dot_product_attention(batch, L, S, d_k, d_v, block_size, causal, seed):
    gen = torch.Generator().manual_seed(seed)
    Q, K, V = _randn(gen, *batch, L, d_k), _randn(gen, *batch, S, d_k), _randn(gen, *batch, S, d_v)
    mine = ref.flash_attention(Q, K, V, block_size=block_size, causal=causal)
    _assert_same_with_grads(mine, F.scaled_dot_product_attention(Q, K, V, is_causal=causal), (Q, K, V), gen)


@settings(max_examples=20, deadline=None)
@given(L=lengths, S=lengths, d=small, block_size=st.integers(1, 8), seed=seeds)
def test_causal_flash_attention_is_the_top_left_triangle_as_an_attn_mask(L, S, d, block_size, seed):
    gen = torch.Generator().manual_seed(seed)
    Q, K, V = _randn(gen, 2, L, d), _randn(gen, 2, S, d), _randn(gen, 2, S, d)
    top_left = torch.ones(L, S, dtype=torch.bool).tril()  # True = may attend, as the contract's masks
    mine = ref.flash_attention(Q, K, V, block_size=block_size, causal=True)
    _assert_same_with_grads(mine, F.scaled_dot_product_attention(Q, K, V, attn_mask=top_left), (Q, K, V), gen)


@settings(max_examples=20, deadline=None)
@given(L=lengths, S=lengths, d=small, seed=seeds)
def test_flash_attention_broadcasts_leading_dimensions(L, S, d, seed):
    gen = torch.Generator().manual_seed(seed)
    Q, K, V = _randn(gen, 2, 1, L, d), _randn(gen, 1, 3, S, d), _randn(gen, 1, 3, S, d)
    mine = ref.flash_attention(Q, K, V, block_size=3)
    assert mine.shape == (2, 3, L, d)
    torch.testing.assert_close(mine, F.scaled_dot_product_attention(Q, K, V), rtol=1e-10, atol=1e-12)


def test_flash_attention_survives_scores_of_1e3():
    gen = torch.Generator().manual_seed(0)
    Q, K, V = _randn(gen, 6, 16) * 25, _randn(gen, 20, 16) * 25, _randn(gen, 20, 3)
    mine = ref.flash_attention(Q, K, V, block_size=7)
    assert (Q @ K.T / 4).abs().max() > 800
    torch.testing.assert_close(mine, F.scaled_dot_product_attention(Q, K, V), rtol=1e-10, atol=1e-10)


def _local_mask_by_definition(n, window, global_tokens):
    return torch.tensor([[abs(i - j) <= window or i in global_tokens or j in global_tokens for j in range(n)]
                         for i in range(n)])


@settings(max_examples=40, deadline=None)
@given(n=st.integers(1, 12), window=st.integers(0, 13), data=st.data())
def test_local_attention_mask_is_its_definition(n, window, data):
    global_tokens = tuple(data.draw(st.sets(st.integers(0, n - 1), max_size=3)))
    mask = ref.local_attention_mask(n, window, global_tokens)
    assert mask.dtype == torch.bool
    assert torch.equal(mask, _local_mask_by_definition(n, window, global_tokens))


def test_local_attention_mask_golden():
    assert ref.local_attention_mask(5, 1, (4,)).int().tolist() == [
        [1, 1, 0, 0, 1],
        [1, 1, 1, 0, 1],
        [0, 1, 1, 1, 1],
        [0, 0, 1, 1, 1],
        [1, 1, 1, 1, 1],
    ]


@settings(max_examples=20, deadline=None)
@given(n=st.integers(2, 10), window=st.integers(0, 3), seed=seeds)
def test_the_local_mask_in_scaled_dot_product_attention_attends_exactly_to_its_keys(n, window, seed):
    """Each row of sdpa with the mask equals attention over that row's allowed keys alone."""
    gen = torch.Generator().manual_seed(seed)
    Q, K, V = _randn(gen, n, 4, grad=False), _randn(gen, n, 4, grad=False), _randn(gen, n, 3, grad=False)
    mask = ref.local_attention_mask(n, window, (0,))
    out = F.scaled_dot_product_attention(Q, K, V, attn_mask=mask)
    for i in range(n):
        keys = [j for j in range(n) if abs(i - j) <= window or i == 0 or j == 0]
        weights = torch.softmax(Q[i] @ K[keys].T / 2.0, dim=-1)
        torch.testing.assert_close(out[i], weights @ V[keys], rtol=1e-10, atol=1e-12)


@settings(max_examples=30, deadline=None)
@given(batch=st.lists(small, max_size=2), L=lengths, S=lengths, d_k=small, d_v=small,
       eps=st.sampled_from([1e-6, 1e-3, 0.5]), shift=st.sampled_from([0.0, -3.0, 2.0]), seed=seeds)
def test_linear_attention_matches_its_closed_form(batch, L, S, d_k, d_v, eps, shift, seed):
    gen = torch.Generator().manual_seed(seed)
    Q = (torch.randn(*batch, L, d_k, dtype=torch.float64, generator=gen) + shift).requires_grad_()
    K = (torch.randn(*batch, S, d_k, dtype=torch.float64, generator=gen) + shift).requires_grad_()
    V = _randn(gen, *batch, S, d_v)
    weights = (F.elu(Q) + 1) @ (F.elu(K) + 1).transpose(-2, -1)  # (..., L, S), formed only here
    closed_form = weights @ V / (weights.sum(dim=-1, keepdim=True) + eps)
    _assert_same_with_grads(ref.linear_attention(Q, K, V, eps=eps), closed_form, (Q, K, V), gen)


@settings(max_examples=30, deadline=None)
@given(batch=st.lists(small, max_size=2), L=lengths, S=lengths, k=lengths, d_k=small, d_v=small, seed=seeds)
def test_linformer_attention_is_attention_over_the_projected_keys_and_values(batch, L, S, k, d_k, d_v, seed):
    gen = torch.Generator().manual_seed(seed)
    Q, K, V = _randn(gen, *batch, L, d_k), _randn(gen, *batch, S, d_k), _randn(gen, *batch, S, d_v)
    E, F_ = _randn(gen, k, S) / math.sqrt(S), _randn(gen, k, S) / math.sqrt(S)
    theirs = F.scaled_dot_product_attention(Q, E @ K, F_ @ V)
    _assert_same_with_grads(ref.linformer_attention(Q, K, V, E, F_), theirs, (Q, K, V, E, F_), gen)


def test_reference_stays_on_the_meta_device():
    Q, K, V = (torch.empty(2, 5, 3, device="meta") for _ in range(3))
    E = torch.empty(4, 5, device="meta")
    for out in (ref.flash_attention(Q, K, V, block_size=2, causal=True), ref.linear_attention(Q, K, V),
                ref.linformer_attention(Q, K, V, E, E)):
        assert out.device.type == "meta" and out.shape == (2, 5, 3)
    mask = ref.local_attention_mask(5, 1, (0,), device="meta")
    assert mask.device.type == "meta" and mask.shape == (5, 5)


FULL_MATRIX = {
    "flash_attention": '''
def flash_attention(Q, K, V, block_size=64, causal=False):
    """Right values, but from the whole (L, S) score matrix, sliced into blocks afterwards."""
    L, S = Q.size(-2), K.size(-2)
    scores = Q @ K.transpose(-2, -1) / math.sqrt(Q.size(-1))
    if causal:
        scores = scores.masked_fill(torch.ones(L, S, dtype=torch.bool, device=Q.device).triu(1), float("-inf"))
    m = scores.amax(dim=-1, keepdim=True)
    total, acc = 0.0, 0.0
    for start in range(0, S, block_size):
        weights = torch.exp(scores[..., start : start + block_size] - m)
        total = total + weights.sum(dim=-1, keepdim=True)
        acc = acc + weights @ V[..., start : start + block_size, :]
    return acc / total
''',
    "linear_attention": '''
def linear_attention(Q, K, V, eps=1e-6):
    """Right values, but through the (L, S) matrix φ(Q)φ(K)ᵀ."""
    weights = (torch.nn.functional.elu(Q) + 1) @ (torch.nn.functional.elu(K) + 1).transpose(-2, -1)
    return weights @ V / (weights.sum(dim=-1, keepdim=True) + eps)
''',
}


@pytest.mark.parametrize("function", sorted(FULL_MATRIX))
def test_forming_the_full_matrix_fails_even_with_the_right_values(function, tmp_path):
    submission = tmp_path / "efficient_attention.py"
    submission.write_text(paths.reference(KATA.id).read_text() + FULL_MATRIX[function])
    report = grader.grade(KATA, submission, ["cpu"])
    assert not report.passed
    watched = {case.name: case.no_tensor_spanning for case in loaders.make_cases(KATA)
               if case.call == function and case.no_tensor_spanning}
    failed = {check.name: check.message for check in report.checks if not check.passed}
    assert set(failed) == set(watched), "exactly the watched cases fail: the values are right"
    for name, (L, S) in watched.items():
        assert str(L) in failed[name] and str(S) in failed[name], failed[name]
