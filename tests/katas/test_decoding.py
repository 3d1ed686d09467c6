"""The decoding reference agrees with PyTorch's sampler and Hugging Face's rules, and its cases are calibrated.

`transformers` is no dependency: its TopKLogitsWarper and TopPLogitsWarper are restated here from
their source (transformers/generation/logits_process.py), and compared with the reference on
hypothesis-drawn logits, ties and exact boundaries included. Sampling is torch.multinomial on the
filtered softmax, the same generator state giving the same ids; greedy decoding is a plain loop.
"""

from __future__ import annotations

import math
import types
from unittest import mock

import numpy as np
import pytest
import torch
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from dlprep.grading import loaders
from dlprep.grading.checks import decoding as checks
from dlprep.grading.execute import ProtocolError
from dlprep.katas.catalog import load
from tests.katas.helpers import assert_passes_every_case
from tests.katas.strategies import reference, seeds

KATA = load().get("decoding")
decoding = reference("decoding")
NEG_INF = float("-inf")


def hf_top_k(scores, top_k):
    """transformers' TopKLogitsWarper (filter_value −inf, min_tokens_to_keep 1)."""
    top_k = min(max(top_k, 1), scores.size(-1))
    indices_to_remove = scores < torch.topk(scores, top_k)[0][..., -1, None]
    return scores.masked_fill(indices_to_remove, NEG_INF)


def hf_top_p(scores, top_p):
    """transformers' TopPLogitsWarper (filter_value −inf, min_tokens_to_keep 1)."""
    sorted_logits, sorted_indices = torch.sort(scores, descending=False)
    cumulative_probs = sorted_logits.softmax(dim=-1).cumsum(dim=-1)
    sorted_indices_to_remove = cumulative_probs <= (1 - top_p)
    sorted_indices_to_remove[..., -1:] = 0
    indices_to_remove = sorted_indices_to_remove.scatter(1, sorted_indices, sorted_indices_to_remove)
    return scores.masked_fill(indices_to_remove, NEG_INF)


def logits_with_ties(draw, rows, vocab):
    """Logits from a few values (ties are frequent), sometimes −inf; every row keeps a finite entry."""
    values = st.sampled_from([-2.0, -0.5, 0.0, 0.0, 1.0, 1.0, 1.5, 3.0, NEG_INF])
    table = [[draw(values) for _ in range(vocab)] for _ in range(rows)]
    for row in table:
        row[draw(st.integers(0, vocab - 1))] = draw(st.sampled_from([0.0, 1.0, 2.5]))
    return torch.tensor(table, dtype=torch.float64)


@settings(max_examples=60, deadline=None)
@given(data=st.data(), rows=st.integers(1, 4), vocab=st.integers(1, 9))
def test_top_k_keeps_every_token_with_fewer_than_k_larger_ones(data, rows, vocab):
    logits = logits_with_ties(data.draw, rows, vocab)
    k = data.draw(st.integers(1, vocab))
    out = decoding.top_k_filter(logits, k)
    larger = (logits[:, None, :] > logits[:, :, None]).sum(-1)  # (B, V): tokens strictly above each token
    torch.testing.assert_close(out, torch.where(larger < k, logits, NEG_INF), rtol=0, atol=0)
    torch.testing.assert_close(out, hf_top_k(logits, k), rtol=0, atol=0)


@settings(max_examples=60, deadline=None)
@given(rows=st.integers(1, 4), vocab=st.integers(2, 12), p=st.floats(0.02, 0.98),
       scale=st.sampled_from([0.5, 2.0, 6.0]), seed=seeds)
def test_top_p_matches_hugging_faces_warper(rows, vocab, p, scale, seed):
    logits = torch.randn(rows, vocab, dtype=torch.float64, generator=torch.Generator().manual_seed(seed)) * scale
    cumulative = logits.softmax(-1).sort(-1, descending=True).values.cumsum(-1)
    assume(bool(((cumulative - p).abs() > 1e-9).all()))  # away from a boundary, rounding cannot decide
    out = decoding.top_p_filter(logits, p)
    torch.testing.assert_close(out, hf_top_p(logits, p), rtol=0, atol=0)
    kept = (out != NEG_INF).sum(-1)
    smallest = (cumulative < p).sum(-1) + 1  # min n with q₁ + … + qₙ ≥ p
    assert torch.equal(kept, smallest.clamp(max=vocab))


@pytest.mark.parametrize("tied, p, kept", [(4, 0.5, 2), (4, 0.75, 3), (4, 1.0, 4), (8, 0.375, 3), (8, 0.125, 1),
                                           (2, 0.5, 1), (16, 0.0625, 1), (16, 0.5, 8)])
def test_top_p_at_an_exact_boundary_keeps_the_smallest_set_reaching_p(tied, p, kept):
    """Equal logits make probabilities 1/2ᵐ exact: q₁ + … + qₖ = p is reached exactly and the set stops there."""
    logits = torch.full((3, 20), NEG_INF, dtype=torch.float64)
    for row in range(3):
        logits[row, torch.randperm(20, generator=torch.Generator().manual_seed(row))[:tied]] = 0.5
    out = decoding.top_p_filter(logits, p)
    assert ((out == 0.5).sum(-1) == kept).all() and ((out == 0.5) | (out == NEG_INF)).all()
    assert ((hf_top_p(logits, p) == 0.5).sum(-1) == kept).all()  # the same count; which of the ties is free


@settings(max_examples=40, deadline=None)
@given(rows=st.integers(1, 5), vocab=st.integers(2, 10), temperature=st.sampled_from([0.3, 1.0, 1.7]),
       top_k=st.one_of(st.none(), st.integers(1, 10)), top_p=st.one_of(st.none(), st.floats(0.05, 0.95)), seed=seeds)
def test_sample_next_is_multinomial_on_the_filtered_softmax(rows, vocab, temperature, top_k, top_p, seed):
    logits = torch.randn(rows, vocab, dtype=torch.float64, generator=torch.Generator().manual_seed(seed))
    top_k = None if top_k is None else min(top_k, vocab)
    scores = logits / temperature  # Hugging Face's order: temperature, top-k, top-p
    if top_k is not None:
        scores = hf_top_k(scores, top_k)
    if top_p is not None:
        cumulative = scores.softmax(-1).sort(-1, descending=True).values.cumsum(-1)
        assume(bool(((cumulative - top_p).abs() > 1e-9).all()))  # rounding never decides the nucleus
        scores = hf_top_p(scores, top_p)
    ids = decoding.sample_next(logits, temperature, top_k, top_p, generator=torch.Generator().manual_seed(seed))
    expected = torch.multinomial(scores.softmax(-1), 1, generator=torch.Generator().manual_seed(seed)).squeeze(-1)
    assert ids.shape == (rows,) and ids.dtype == torch.int64
    assert torch.equal(ids, expected)


def plain_greedy(step_fn, prompt, max_new_tokens, eos_id):
    """One row at a time, a Python list per row, padded with eos once the row has emitted it."""
    rows = [list(map(int, row)) for row in prompt]
    for _ in range(max_new_tokens):
        logits = step_fn(torch.tensor(rows))
        for row, scores in zip(rows, logits):
            done = eos_id is not None and eos_id in row[prompt.shape[1]:]
            row.append(eos_id if done else int(scores.argmax()))
    return torch.tensor(rows).reshape(prompt.shape[0], -1)


@settings(max_examples=40, deadline=None)
@given(batch=st.integers(1, 4), prompt_len=st.integers(1, 4), max_new=st.integers(0, 7), vocab=st.integers(2, 6),
       use_eos=st.booleans(), seed=seeds)
def test_greedy_decode_matches_a_plain_loop(batch, prompt_len, max_new, vocab, use_eos, seed):
    gen = torch.Generator().manual_seed(seed)
    embed = torch.randn(vocab, 5, generator=gen, dtype=torch.float64)
    out_proj = torch.randn(5, vocab, generator=gen, dtype=torch.float64)
    positions = torch.randn(prompt_len + max_new, 5, generator=gen, dtype=torch.float64)

    def step_fn(ids):  # a one-layer model: the mean of the prefix's embeddings and positions
        return (embed[ids] + positions[: ids.shape[1]]).mean(1) @ out_proj

    prompt = torch.randint(vocab, (batch, prompt_len), generator=gen)
    eos = int(torch.randint(vocab, (), generator=gen)) if use_eos else None
    out = decoding.greedy_decode(step_fn, prompt, max_new, eos_id=eos)
    expected = plain_greedy(step_fn, prompt, max_new, eos)
    width = prompt_len + max_new
    assert out.shape[0] == batch and prompt_len <= out.shape[1] <= width and torch.equal(out[:, :prompt_len], prompt)
    if out.shape[1] < width:  # stopped early: only once every row had finished
        assert eos is not None and (out[:, prompt_len:] == eos).any(1).all()
        out = torch.cat([out, torch.full((batch, width - out.shape[1]), eos)], 1)
    assert torch.equal(out, expected)


def test_reference_stays_on_the_meta_device():
    logits = torch.empty(3, 8, device="meta")
    assert decoding.top_k_filter(logits, 2).device.type == "meta"
    assert decoding.top_p_filter(logits, 0.5).device.type == "meta"


# -- the cases: exact where the contract leaves a choice, calibrated where they are random -----------------


def _distribution(impl, row, temperature, top_k, top_p):
    """The exact distribution sample_next draws from: the probabilities handed to torch.multinomial
    (a point mass where the implementation takes the argmax instead)."""
    seen = []
    real = torch.multinomial

    def spy(probs, num_samples, generator=None):
        seen.append(probs[0].clone())
        return real(probs, num_samples, generator=generator)

    with mock.patch("torch.multinomial", spy):
        ids = impl.sample_next(torch.tensor(row)[None].repeat(2, 1), temperature, top_k, top_p,
                               generator=torch.Generator().manual_seed(0))
    return seen[0].double() if seen else torch.nn.functional.one_hot(ids[0], len(row)).double()


FREQUENCY_CASES = [c for c in loaders.make_cases(KATA) if c.args.get("protocol") == "frequencies"]


@pytest.mark.parametrize("case", FREQUENCY_CASES, ids=lambda c: c.name)
def test_frequency_cases_tell_every_mistake_apart(case):
    """Under the reference and every mistake, each token has probability 0 or is drawn for sure (so
    `tokens drawn at least once` is exact), and a mistake's distribution is the reference's or at least
    twice the tolerance away from it: a draw of it never passes, and is always matched to itself."""
    options = [case.args[name] for name in ("temperature", "top_k", "top_p")]
    tolerance = checks.frequency_tolerance(case.args["row"].size)
    impls = {"reference": loaders.reference(KATA)}
    impls |= {m.id: loaders.mistake_impl(KATA, m) for m in loaders.mistakes(KATA)}
    want = _distribution(impls["reference"], case.args["row"], *options)
    for name, impl in impls.items():
        q = _distribution(impl, case.args["row"], *options)
        nonzero = q[q > 0]
        assert float(nonzero.min()) * checks.DRAWS >= 40, name  # missed with probability below e⁻⁴⁰
        gap = float((q - want).abs().max())
        assert gap < 1e-12 or gap > 2 * tolerance, (name, gap, tolerance)


def test_frequency_tolerance_is_twice_bernsteins_halfwidth():
    x = math.log(1e9) + math.log(4 * 8)
    halfwidth = (x / 3 + math.sqrt(x * x / 9 + 2 * x * checks.DRAWS * 0.25)) / checks.DRAWS
    assert checks.frequency_tolerance(8) == pytest.approx(2 * halfwidth, rel=1e-12)
    assert 0.02 < checks.frequency_tolerance(8) < 0.04


def _reference_namespace(**replacements):
    ref = loaders.reference(KATA)
    functions = {name: getattr(ref, name) for name in KATA.functions}
    return types.SimpleNamespace(**(functions | replacements))


def test_which_tied_tokens_are_kept_at_the_boundary_is_free():
    """A nucleus that keeps the *last* of the tied tokens (a stable sort of the reversed row) passes too."""

    def top_p_filter(logits, p):
        flipped = logits.flip(-1)
        sorted_logits, order = flipped.sort(dim=-1, descending=True, stable=True)
        before = sorted_logits.softmax(-1).cumsum(-1) - sorted_logits.softmax(-1)
        drop = (before >= p).scatter(-1, order, before >= p)
        return flipped.masked_fill(drop, NEG_INF).flip(-1)

    assert_passes_every_case(KATA, _reference_namespace(top_p_filter=top_p_filter))


def test_greedy_decode_may_run_to_max_new_tokens_after_every_row_finished():
    def greedy_decode(step_fn, prompt, max_new_tokens, eos_id=None):
        ids = prompt.clone()
        for _ in range(max_new_tokens):
            next_ids = step_fn(ids).argmax(-1)
            if eos_id is not None:
                finished = (ids[:, prompt.shape[1]:] == eos_id).any(-1)
                next_ids = torch.where(finished, eos_id, next_ids)
            ids = torch.cat([ids, next_ids[:, None]], 1)
        return ids

    assert_passes_every_case(KATA, _reference_namespace(greedy_decode=greedy_decode))


def test_step_fn_says_what_it_takes():
    case = next(c for c in loaders.make_cases(KATA) if c.call == "greedy_decode" and c.args["max_new_tokens"] > 0)
    args = {k: (torch.from_numpy(v) if isinstance(v, np.ndarray) else v) for k, v in case.args.items()}
    step_fn = checks._step_fn(args)
    assert step_fn(args["prompt"]).shape == (args["prompt"].shape[0], args["table"].shape[1])
    with pytest.raises(ProtocolError, match=r"the ids so far"):
        step_fn(args["prompt"][:, -1])  # (B,) instead of (B, t)
    with pytest.raises(ProtocolError, match="int64"):
        step_fn(args["prompt"].float())


def test_greedy_tables_never_tie():
    """Every step_fn row holds values a whole unit apart: no argmax depends on rounding, in float32 too."""
    for case in (c for c in loaders.make_cases(KATA) if c.call == "greedy_decode"):
        gaps = np.diff(np.sort(case.args["table"], axis=1), axis=1)
        assert (gaps >= 1.0).all(), case.name
