"""The mlm_masking reference follows the contract exactly and draws as Hugging Face's collator does.

`transformers` is no dependency: DataCollatorForLanguageModeling.torch_mask_tokens is restated here
(three Bernoulli draws and a randint, as in transformers/data/data_collator.py) on a generator, and
its rates are compared with the reference's, and it is graded like a submission. The statistical
cases are calibrated: every known mistake is at least twice the tolerance away from the reference.
"""

from __future__ import annotations

import dataclasses
import types

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from dlprep.grading import loaders
from dlprep.grading.checks._statistics import bernstein_halfwidth
from dlprep.grading.execute import execute
from dlprep.katas.catalog import load
from tests.katas.helpers import assert_passes_every_case
from tests.katas.strategies import reference, seeds

KATA = load().get("mlm_masking")
mlm = reference("mlm_masking")
MASK_ID = 3


def hf_mask_tokens(tokens, mask_token_id, vocab_size, special_mask, generator, p=0.15):
    """transformers' DataCollatorForLanguageModeling.torch_mask_tokens, drawing from `generator`."""
    device = tokens.device
    labels = tokens.clone()
    inputs = tokens.clone()
    probability_matrix = torch.full(labels.shape, p, device=device)
    probability_matrix.masked_fill_(special_mask, value=0.0)
    masked_indices = torch.bernoulli(probability_matrix, generator=generator).bool()
    labels[~masked_indices] = -100
    indices_replaced = (torch.bernoulli(torch.full(labels.shape, 0.8, device=device), generator=generator).bool()
                        & masked_indices)
    inputs[indices_replaced] = mask_token_id
    indices_random = (torch.bernoulli(torch.full(labels.shape, 0.5, device=device), generator=generator).bool()
                      & masked_indices & ~indices_replaced)
    random_words = torch.randint(vocab_size, labels.shape, dtype=torch.long, generator=generator, device=device)
    inputs[indices_random] = random_words[indices_random]
    return inputs, labels


def batch(shape, vocab, special_share, gen):
    """Ordinary ids in [4, vocab) (never the mask id 3), special positions at random."""
    tokens = torch.randint(4, vocab, shape, generator=gen)
    special = torch.rand(shape, generator=gen) < special_share
    return tokens.masked_fill(special, 1), special


@settings(max_examples=40, deadline=None)
@given(shape=st.one_of(st.tuples(st.integers(1, 40)), st.tuples(st.integers(1, 6), st.integers(1, 40))),
       vocab=st.integers(5, 50), p=st.sampled_from([0.0, 0.15, 0.5, 1.0]),
       special_share=st.sampled_from([0.0, 0.3, 1.0]), seed=seeds)
def test_reference_keeps_the_contract_exactly(shape, vocab, p, special_share, seed):
    tokens, special = batch(shape, vocab, special_share, torch.Generator().manual_seed(seed))
    original = tokens.clone()
    inputs, labels = mlm.mask_tokens(tokens, MASK_ID, vocab, special, torch.Generator().manual_seed(seed), p=p)
    assert inputs.shape == labels.shape == tokens.shape and inputs.dtype == labels.dtype == torch.int64
    assert torch.equal(tokens, original)
    selected = labels != -100
    assert torch.equal(labels[selected], tokens[selected])  # the original token where selected
    assert not (selected & special).any()  # special positions are never selected
    assert torch.equal(inputs[~selected], tokens[~selected])  # the others keep their token
    assert ((inputs >= 0) & (inputs < vocab)).all()
    if p == 1.0:
        assert torch.equal(selected, ~special)
    again = mlm.mask_tokens(tokens, MASK_ID, vocab, special, torch.Generator().manual_seed(seed), p=p)
    assert torch.equal(inputs, again[0]) and torch.equal(labels, again[1])  # the generator is the only randomness


def _rates(inputs, labels, tokens, vocab):
    """Shares of selected positions masked, kept and randomised, and where the random ids land."""
    selected = labels != -100
    masked = selected & (inputs == MASK_ID)
    kept = selected & (inputs == tokens)
    replaced = inputs[selected & ~masked & ~kept]
    return selected.double().mean(), masked.sum() / selected.sum(), kept.sum() / selected.sum(), \
        torch.bincount(replaced, minlength=vocab) / max(1, replaced.numel()), replaced.numel()


@pytest.mark.parametrize("p, vocab", [(0.15, 12), (0.5, 7), (0.9, 30)])
def test_rates_agree_with_hugging_faces_collator(p, vocab):
    gen = torch.Generator().manual_seed(7)
    tokens, special = batch((8, 40_000), vocab, 0.1, gen)
    mine = _rates(*mlm.mask_tokens(tokens, MASK_ID, vocab, special, torch.Generator().manual_seed(1), p=p),
                  tokens, vocab)
    theirs = _rates(*hf_mask_tokens(tokens, MASK_ID, vocab, special, torch.Generator().manual_seed(2), p=p),
                    tokens, vocab)
    n = tokens.numel()
    selected = int(n * p * 0.9 * 0.95)
    bounds = [2 * bernstein_halfwidth(n, p), 2 * bernstein_halfwidth(selected, 0.8),
              2 * bernstein_halfwidth(selected, 0.1)]
    for a, b, bound in zip(mine[:3], theirs[:3], bounds):
        assert abs(float(a) - float(b)) <= bound
    replaced = min(mine[4], theirs[4])
    assert float((mine[3] - theirs[3]).abs().max()) <= 2 * bernstein_halfwidth(replaced, 0.5)
    assert float(mine[3][:MASK_ID].sum()) > 0  # random ids reach the special ids too, as Hugging Face draws them


def test_hugging_faces_collator_passes_every_case():
    """Another correct sampler (Bernoulli draws in another order) passes, the statistical cases included."""
    assert_passes_every_case(KATA, types.SimpleNamespace(mask_tokens=hf_mask_tokens))


STATISTICS = [c for c in loaders.make_cases(KATA) if c.args["protocol"] == "statistics"]


CHECKS = loaders.checks_module(KATA)


def _fractions(impl, case, seed):
    """The case's fractions on a draw four times its size (half its noise)."""
    tiled = {name: np.tile(case.args[name], (1, 4)) for name in ("tokens", "special_mask")}
    draw = dataclasses.replace(case, args={**case.args, **tiled, "seed": seed})
    outputs = execute(impl, CHECKS, draw, "torch", "cpu")["outputs"]
    return np.nan_to_num(np.array([float(outputs[name]["data"]) for name in case.outputs]), nan=1.0)


@pytest.mark.parametrize("case", STATISTICS, ids=lambda c: c.name)
def test_two_correct_draws_agree_within_the_tolerance(case):
    ref = loaders.reference(KATA)
    assert np.abs(_fractions(ref, case, 1) - _fractions(ref, case, 2)).max() <= case.scale * 1e-9 / 2


@pytest.mark.parametrize("mistake", loaders.mistakes(KATA), ids=lambda m: m.id)
def test_every_mistake_is_far_from_the_reference_on_a_statistics_case_or_fails_the_generator_case(mistake):
    """A draw of a mistake at least 2.5 tolerances away (measured with half the noise) is more than twice the
    tolerance away in truth: it always fails that case, and is always matched to the mistake's own draw."""
    ref, wrong = loaders.reference(KATA), loaders.mistake_impl(KATA, mistake)
    farthest = max(np.abs(_fractions(wrong, case, 3) - _fractions(ref, case, 4)).max() / (case.scale * 1e-9)
                   for case in STATISTICS)
    if farthest > 2.5:
        return
    generator_case = next(c for c in loaders.make_cases(KATA) if c.args["protocol"] == "rng")
    outputs = execute(wrong, CHECKS, generator_case, "torch", "cpu")["outputs"]
    assert not all(bool(record["data"]) for record in outputs.values()), (mistake.id, farthest)
