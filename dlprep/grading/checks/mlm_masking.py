"""Cases for `mlm_masking`: mask_tokens(tokens, mask_token_id, vocab_size, special_mask, generator, p=0.15)
-> (inputs, labels).

Token ids are laid out as in BERT: a few special ids (padding, [CLS], [SEP], [MASK]) below the
ordinary ones; every sequence starts with [CLS], ends its content with [SEP] and is padded after,
and exactly those positions are in `special_mask`. Ordinary tokens never equal the mask id.

A statistical kata: `FRESH_SEED` draws new cases on every grade. A `torch.Generator` cannot travel
to the learner's process, so cases carry a `seed` and `run` builds the generator there, on the
tokens' device. Protocols (`args["protocol"]`):

- **judge** (`compare="judge"`): inputs, labels, and the generator's use (the same generator state
  gives the same result, another seed another one, torch's global generator untouched). `judge`
  checks exactly what the contract fixes (int64 outputs of the tokens' shape; labels −100 or the
  original token; special and unselected positions untouched; ids in [0, vocab_size)), then the
  rates with bounds a correct implementation breaks with probability at most 1e-9 each
  (Bernstein's inequality): p of the ordinary positions selected; of the selected, 80% + 10%/V
  turned into the mask id and 10% + 10%/V left as they were; the random tokens uniform over the
  whole vocabulary (their share of special ids, and of the last id).
- **statistics** (`compare="reference"`): one draw summarised as fractions. The reference's own
  draw gives the expected values, compared within a tolerance computed from the same bounds
  (two draws of a correct implementation differ by more with probability at most 1e-9), and every
  known mistake is at least twice as far on some fraction, so a submission reproducing a mistake
  with *other* random numbers still matches that mistake's outputs: this is what diagnosis compares.
- **exact** (`compare="reference"`): where nothing can be selected (p = 0, every position special):
  inputs are the tokens, labels all −100, on the tokens' device.
- **rng** (`compare="reference"`): the generator's use alone, for diagnosis.
"""

from __future__ import annotations

import math

import numpy as np

from dlprep.grading import compare
from dlprep.grading.checks._statistics import LOG_ODDS, bernstein_halfwidth, draw_seed, torch_generator, torch_global_states
from dlprep.grading.compare import Difference
from dlprep.grading.execute import ProtocolError
from dlprep.grading.spec import Case

FRESH_SEED = True
IGNORE = -100
MASK_SHARE, RANDOM_SHARE = 0.8, 0.1
"""Of the selected positions: turned into the mask id, given a uniformly random id (the rest stay)."""
TWO_SIDED = LOG_ODDS + math.log(2.0)
"""x of a two-sided Bernstein bound broken with probability at most 1e-9."""

GENERATOR_OUTPUTS = ("same generator state, same result", "another seed, another result",
                     "torch's global generator untouched")
JUDGE_OUTPUTS = ("inputs", "labels", *GENERATOR_OUTPUTS)
SELECTION_OUTPUTS = (
    "fraction of ordinary positions with a label",
    "fraction of special positions with a label or a changed input",
    "fraction of unlabelled positions whose input changed",
    "fraction of labels that hold the original token",
    "fraction of labelled positions turned into the mask id",
    "fraction of labelled positions left as they were",
)
RANDOM_OUTPUTS = (
    "fraction of random replacements that are special ids, among those that are not the last id",
    "fraction of random replacements that are the last id, among those that are not special ids",
)
"""A random replacement: a labelled position whose input is neither the mask id nor the original, and whose
original is an ordinary token other than the last id. Each fraction leaves out what the other one counts, so
that a draw missing the last id leaves the first unchanged, and one missing the special ids the second."""


# -- calling the submission --------------------------------------------------------------------------


def _pair(result, tokens):
    import torch

    if not isinstance(result, (tuple, list)) or len(result) != 2:
        raise ProtocolError("mask_tokens must return a pair (inputs, labels)")
    for name, value in zip(("inputs", "labels"), result):
        if not isinstance(value, torch.Tensor) or value.shape != tokens.shape:
            shape = tuple(value.shape) if isinstance(value, torch.Tensor) else type(value).__name__
            raise ProtocolError(f"`{name}` must be a tensor of the tokens' shape {tuple(tokens.shape)}; got {shape}")
    return tuple(result)


def run(impl, case: Case, args: dict):
    import torch

    tokens, seed, protocol = args["tokens"], args["seed"], args["protocol"]
    original = tokens.clone()  # tokens itself goes to the first call, so that changing it in place is seen

    def call(given, generator):
        result = impl.mask_tokens(given, args["mask_token_id"], args["vocab_size"], args["special_mask"], generator,
                                  p=args["p"])
        return _pair(result, original)

    before = torch_global_states(tokens.device)
    generator = torch_generator(tokens, seed)
    state = generator.get_state()
    inputs, labels = call(tokens, generator)
    if protocol == "exact":
        return inputs, labels
    if protocol == "statistics":
        return _summary(case, original, inputs, labels, args["special_mask"])
    replay = torch.Generator(device=tokens.device)
    replay.set_state(state)
    again = call(original.clone(), replay)
    other = call(original.clone(), torch_generator(tokens, seed + 1))
    same = torch.equal(inputs, again[0]) and torch.equal(labels, again[1])
    differs = not (torch.equal(inputs, other[0]) and torch.equal(labels, other[1]))
    untouched = all(torch.equal(a, b) for a, b in zip(before, torch_global_states(tokens.device)))
    if protocol == "rng":
        return same, differs, untouched
    return inputs, labels, same, differs, untouched


def _fraction(count, total) -> float:
    return float(count) / float(total) if total else math.nan


def _summary(case: Case, tokens, inputs, labels, special_mask) -> tuple:
    """The fractions the case's outputs name, from one draw (on the CPU: these are the grader's sums)."""
    import torch

    tokens, inputs, labels = (t.to(device="cpu", dtype=torch.int64) for t in (tokens, inputs, labels))
    special = special_mask.cpu()
    labelled = labels != IGNORE
    changed = inputs != tokens
    masked = labelled & (inputs == case.args["mask_token_id"])
    if case.outputs == SELECTION_OUTPUTS:
        return (
            _fraction((labelled & ~special).sum(), (~special).sum()),
            _fraction(((labelled | changed) & special).sum(), special.sum()),
            _fraction((changed & ~labelled).sum(), (~labelled).sum()),
            _fraction((labelled & (labels == tokens)).sum(), labelled.sum()),
            _fraction(masked.sum(), labelled.sum()),
            _fraction((labelled & ~changed).sum(), labelled.sum()),
        )
    last = case.args["vocab_size"] - 1
    special_ids = torch.tensor(case.args["special_ids"])
    replaced = labelled & changed & ~masked & (tokens != last) & ~torch.isin(tokens, special_ids)
    drew_special = torch.isin(inputs, special_ids)
    return (
        _fraction((replaced & drew_special).sum(), (replaced & (inputs != last)).sum()),
        _fraction((replaced & (inputs == last)).sum(), (replaced & ~drew_special).sum()),
    )


# -- the judge ---------------------------------------------------------------------------------------------


def _at(index) -> str:
    return "[" + ", ".join(str(int(i)) for i in index) + "]"


def _first(where: np.ndarray):
    return tuple(np.argwhere(where)[0])


def judge(case: Case, outputs: dict) -> list[Difference]:
    """Exact checks first (each explains a whole class of failure), then the rates, then the generator."""
    tokens, special = case.args["tokens"], case.args["special_mask"]
    vocab = case.args["vocab_size"]
    for name in ("inputs", "labels"):
        value = outputs[name]
        if value is None or np.asarray(value).shape != tokens.shape:
            return [Difference(False, f"`{name}` must be a tensor of the tokens' shape {tokens.shape}")]
        if np.asarray(value).dtype != np.int64:
            why = "token ids, as cross-entropy's targets" if name == "labels" else "token ids, as the tokens"
            return [Difference(False, f"`{name}` has dtype {np.asarray(value).dtype}, expected int64 ({why})")]
    inputs, labels = np.asarray(outputs["inputs"]), np.asarray(outputs["labels"])
    broken = _contract_violations(tokens, special, inputs, labels, vocab)
    if broken:
        return [*broken, *_generator_use(outputs)]
    return [*_rates(case, tokens, special, inputs, labels), *_generator_use(outputs)]


def _contract_violations(tokens, special, inputs, labels, vocab) -> list[Difference]:
    labelled = labels != IGNORE
    wrong_label = labelled & (labels != tokens)
    if wrong_label.any():
        index = _first(wrong_label)
        message = (f"`labels`{_at(index)} is {labels[index]}, but the original token there is {tokens[index]}: a label "
                   "is the original token where the position is selected and −100 everywhere else")
        if (labels[wrong_label] == 0).all():
            message += " (your unselected labels look like 0: use −100, cross-entropy's ignore_index)"
        elif (labels[wrong_label] == inputs[wrong_label]).all():
            message += " (your labels are the corrupted inputs: copy them from the tokens before changing anything)"
        return [Difference(False, message)]
    chosen = special & labelled
    if chosen.any():
        index = _first(chosen)
        return [Difference(False, f"special position {_at(index)} (special_mask True) was selected: special tokens are "
                                  "never selected, their label is −100 and their input stays")]
    stray = ~labelled & (inputs != tokens)
    if stray.any():
        index = _first(stray)
        return [Difference(False, f"position {_at(index)} is not selected (label −100), yet its input changed from "
                                  f"{tokens[index]} to {inputs[index]}: the 80/10/10 replacement applies to the "
                                  "selected positions only")]
    outside = (inputs < 0) | (inputs >= vocab)
    if outside.any():
        index = _first(outside)
        return [Difference(False, f"`inputs`{_at(index)} is {inputs[index]}, outside the vocabulary [0, {vocab})")]
    return []


def _rate(name: str, count: int, total: int, want: float, advice: str) -> Difference:
    if total == 0:
        return Difference(True, "")
    rate = count / total
    width = bernstein_halfwidth(total, want, TWO_SIDED)
    return Difference(
        abs(rate - want) <= width,
        f"{name}: {rate:.4f} ({count} of {total}); a correct implementation lands within {want:.4f} ± {width:.4f} "
        f"except with probability below 1e-9: {advice}",
    )


def _rates(case: Case, tokens, special, inputs, labels) -> list[Difference]:
    p, vocab, mask_id = case.args["p"], case.args["vocab_size"], case.args["mask_token_id"]
    labelled = labels != IGNORE
    ordinary = ~special
    masked = labelled & (inputs == mask_id)
    kept = labelled & (inputs == tokens)
    last = vocab - 1
    special_ids = np.array(case.args["special_ids"])
    replaced = labelled & ~masked & ~kept & (tokens != last) & ~np.isin(tokens, special_ids)
    drew_special = np.isin(inputs, special_ids)
    non_special_ids = vocab - len(special_ids)
    random_share = f"{RANDOM_SHARE:g}"
    return [
        _rate("the share of ordinary positions selected", int((labelled & ordinary).sum()), int(ordinary.sum()), p,
              "select each position that is not special with probability p, independently (rand < p)"),
        _rate("the share of selected positions turned into the mask id", int(masked.sum()), int(labelled.sum()),
              MASK_SHARE + RANDOM_SHARE / vocab,
              "80% of the selected positions become the mask id (and a random token is the mask id 1/V of the time)"),
        _rate("the share of selected positions left as they were", int(kept.sum()), int(labelled.sum()),
              RANDOM_SHARE + RANDOM_SHARE / vocab,
              f"{random_share} of the selected keep their token, and a random token equals the original 1/V of the "
              f"time: of the 20% not masked, half get a random token"),
        _rate("the share of special ids among the random tokens (the last id aside)",
              int((replaced & drew_special).sum()), int((replaced & (inputs != last)).sum()), (len(special_ids) - 1) / (vocab - 3),
              "a random token is uniform over the whole vocabulary [0, vocab_size), special ids included, as "
              "Hugging Face's collator draws it (torch.randint(vocab_size, shape))"),
        _rate("the share of the last id among the random tokens (special ids aside)",
              int((replaced & (inputs == last)).sum()), int((replaced & ~drew_special).sum()), 1 / (non_special_ids - 1),
              "torch.randint's upper end is exclusive: torch.randint(vocab_size, shape) reaches vocab_size − 1"),
    ]


def _generator_use(outputs: dict) -> list[Difference]:
    return [
        Difference(bool(outputs["same generator state, same result"]),
                   "two calls with generators in the same state gave different results: draw every random number "
                   "from the `generator` argument (generator=generator), never from torch's global generator"),
        Difference(bool(outputs["another seed, another result"]),
                   "generators with different seeds gave the same result: is a seed fixed inside your function?"),
        Difference(bool(outputs["torch's global generator untouched"]),
                   "your function moved torch's global generator (torch.rand without generator=, torch.manual_seed): "
                   "use only the `generator` argument"),
    ]


# -- cases: NumPy only ------------------------------------------------------------------------------------


BERT_IDS = {"vocab_size": 30522, "pad": 0, "cls": 101, "sep": 102, "mask": 103, "ordinary_low": 999}
"""bert-base-uncased's vocabulary: [PAD] 0, [CLS] 101, [SEP] 102, [MASK] 103; word pieces from 999."""
SMALL_IDS = {"vocab_size": 10, "pad": 0, "cls": 1, "sep": 2, "mask": 3, "ordinary_low": 4}
"""A vocabulary of 10 where special ids are 4 of 10, so that where random tokens land shows."""


def _sequences(rng, shape, ids: dict):
    """Rows of [CLS] words … [SEP] [PAD] …, content of random length; special_mask marks the special positions."""
    rows = shape[0] if len(shape) == 2 else 1
    length = shape[-1]
    tokens = rng.integers(ids["ordinary_low"], ids["vocab_size"], size=(rows, length))
    special = np.zeros((rows, length), dtype=bool)
    for row, content in enumerate(rng.integers(max(2, length // 2), length + 1, size=rows)):
        tokens[row, 0], tokens[row, content - 1], tokens[row, content:] = ids["cls"], ids["sep"], ids["pad"]
        special[row, 0] = special[row, content - 1:] = True
    return tokens.reshape(shape).astype(np.int64), special.reshape(shape)


def _args(rng, shape, ids, p, protocol):
    tokens, special = _sequences(rng, shape, ids)
    return {"tokens": tokens, "mask_token_id": ids["mask"], "vocab_size": ids["vocab_size"], "special_mask": special,
            "p": p, "seed": draw_seed(rng), "protocol": protocol,
            "special_ids": (ids["pad"], ids["cls"], ids["sep"], ids["mask"])}


def _shown(shape, p, ids) -> str:
    return f"tokens {'×'.join(map(str, shape))}, p = {p:g}, vocabulary of {ids['vocab_size']}"


def _judge(rng, shape, p, ids, note=""):
    return Case(name=f"mask_tokens, {_shown(shape, p, ids)}", call="mask_tokens",
                args=_args(rng, shape, ids, p, "judge"), outputs=JUDGE_OUTPUTS, compare="judge", note=note)


def _at_least(n: float, q: float) -> float:
    """A count that Binomial(n, q) stays above except with probability below 1e-9."""
    return n * (q - bernstein_halfwidth(int(n), q, TWO_SIDED))


def _statistics(rng, shape, p, ids, outputs, note):
    args = _args(rng, shape, ids, p, "statistics")
    special = args["special_mask"]
    vocab = ids["vocab_size"]
    n_ordinary, n_special = int((~special).sum()), int(special.sum())
    labelled = _at_least(n_ordinary, p)
    if outputs == SELECTION_OUTPUTS:
        # (denominator, the fraction a correct implementation expects) for each output
        expected = [(n_ordinary, p), (n_special, 0.0), (n_ordinary * (1 - p) + n_special, 0.0), (labelled, 1.0),
                    (labelled, MASK_SHARE + RANDOM_SHARE / vocab), (labelled, RANDOM_SHARE + RANDOM_SHARE / vocab)]
    else:
        # random replacements of ordinary tokens other than the last id: uniform over V − 2 ids (the mask id and
        # the original aside), of which S − 1 are special ids (the mask id aside) and one is the last id
        specials = len(args["special_ids"])
        drawn_tokens = vocab - ids["ordinary_low"]  # the ordinary tokens the case's sequences hold
        replaced = _at_least(_at_least(labelled, RANDOM_SHARE * (vocab - 2) / vocab), 1 - 1 / drawn_tokens)
        expected = [(_at_least(replaced, (vocab - 3) / (vocab - 2)), (specials - 1) / (vocab - 3)),
                    (_at_least(replaced, (vocab - 1 - specials) / (vocab - 2)), 1 / (vocab - specials - 1))]
    x = LOG_ODDS + math.log(4 * len(outputs))  # every output, both sides, both draws
    tolerance = 2 * max(bernstein_halfwidth(int(n), q, x) for n, q in expected)
    return Case(name=f"mask_tokens, {_shown(shape, p, ids)}: one draw summarised", call="mask_tokens", args=args,
                outputs=outputs, scale=tolerance / compare.TOLERANCES["float64"][1],
                note=f"{note}; compared with the reference's own draw within {tolerance:.3f} (two correct draws "
                     "differ by more with probability below 1e-9)")


def _exact_case(rng, shape, ids, p, everything_special=False, note=""):
    args = _args(rng, shape, ids, p, "exact")
    if everything_special:
        args["special_mask"] = np.ones_like(args["special_mask"])
    everything = ", every position special" if everything_special else ""
    return Case(name=f"mask_tokens, {_shown(shape, p, ids)}{everything}", call="mask_tokens", args=args,
                outputs=("inputs", "labels"),
                note=note or "nothing can be selected: inputs are the tokens, labels all −100, int64 on the tokens' "
                             "device")


def cases(rng: np.random.Generator) -> list[Case]:
    return [
        _judge(rng, (8, 512), 0.15, BERT_IDS, note="BERT's setting: 15% of the word pieces, 80/10/10"),
        _judge(rng, (4, 25_000), 0.5, SMALL_IDS,
               note="many selected positions over a small vocabulary: where the random tokens land shows"),
        _judge(rng, (30_000,), 0.3, SMALL_IDS, note="one sequence, tokens (L,)"),
        _judge(rng, (6, 300), 1.0, BERT_IDS, note="p = 1: every ordinary position is selected, no special one"),
        _statistics(rng, (4, 50_000), 0.5, SMALL_IDS, SELECTION_OUTPUTS,
                    note="the shares of selected, masked and untouched positions"),
        _statistics(rng, (8, 50_000), 0.9, SMALL_IDS, RANDOM_OUTPUTS,
                    note="where the random tokens land: uniform over all 10 ids, so 3 in 7 of those other than "
                         "[MASK], the original and the last id are special ids, and 1 in 5 of the ordinary ones is "
                         "the last id"),
        _exact_case(rng, (3, 7), BERT_IDS, 0.0),
        _exact_case(rng, (12,), SMALL_IDS, 0.0),
        _exact_case(rng, (2, 9), SMALL_IDS, 0.5, everything_special=True),
        Case(name="mask_tokens uses only the generator given", call="mask_tokens",
             args=_args(rng, (8, 64), SMALL_IDS, 0.5, "rng"), outputs=GENERATOR_OUTPUTS,
             note="called twice with generators in the same state and once with another seed: the same state must give "
                  "the same result, another seed another one, and torch's global generator must not move"),
    ]
