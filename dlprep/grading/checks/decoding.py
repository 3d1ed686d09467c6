"""Cases for `decoding`: top_k_filter(logits, k), top_p_filter(logits, p),
sample_next(logits, temperature=1.0, top_k=None, top_p=None, generator=None) -> (B,) and
greedy_decode(step_fn, prompt, max_new_tokens, eos_id=None) -> (B, T + n).

Exact where the contract is exact:

- **filters** are compared with the reference value for value (−inf included), ties at the k-th
  value and p at a cumulative-probability boundary among them. Where tokens tied at the nucleus'
  boundary make the choice free (which of them is kept), `run` reports the output with the tied
  positions set aside (NaN) and, beside it, each row's kept logits sorted: their number is fixed.
  Every other p lies at least `P_MARGIN` away from every cumulative sum of its rows, so rounding
  never decides a case.
- **greedy_decode** runs against a `step_fn` built here: its logits depend on the whole prefix (a
  table row picked by a weighted sum of the ids), with values a whole unit apart so that no argmax
  is ever a near-tie. A result that stops once every row has finished is padded with eos to
  T + max_new_tokens, so both readings of the contract compare alike.
- **sample_next** on rows with one possible token, with top_k=1 or with a tiny top_p: ids.

Statistics where it is random (`FRESH_SEED`: new seeds on every grade). A `torch.Generator` cannot
travel to the learner's process, so cases carry a `seed` and `run` builds the generator there, on
the logits' device:

- **frequencies** (`compare="reference"`): one row repeated `DRAWS` times, sampled in one call;
  outputs the frequency of each token and which tokens were drawn at all. The reference's own draw
  gives the expected values, compared within `frequency_tolerance(V)`: two correct draws differ by
  more than that with probability below 1e-9 (Bernstein's inequality, every token, both draws),
  and the rows are built so that every token either has probability 0 or is drawn with
  overwhelming probability, under the reference and every known mistake alike.
- **rng** (`compare="reference"`): the same generator state must give the same ids, another seed
  other ids, and torch's global generators must be left alone.

Decoding is not graded on gradients.
"""

from __future__ import annotations

import math

import numpy as np

from dlprep.grading import compare
from dlprep.grading.checks._statistics import LOG_ODDS, bernstein_halfwidth, draw_seed, torch_generator, torch_global_states
from dlprep.grading.execute import ProtocolError
from dlprep.grading.spec import Case

FRESH_SEED = True
EXACT_SEED = 20240611
"""The exact cases are fixed (as every other kata's): only the statistical ones draw fresh seeds."""

DRAWS = 50_000
"""Samples per frequencies case: one call on the row repeated this many times."""
P_MARGIN = 0.01
"""Distance from p to every cumulative probability of its rows (outside the tie cases)."""
TIED_OUTPUTS = ("filtered logits, tied tokens aside", "kept logits of each row, sorted")
FREQUENCY_OUTPUTS = ("frequency of each token", "tokens drawn at least once")
RNG_OUTPUTS = ("same generator state, same ids", "another seed, other ids", "torch's global generator untouched")


def frequency_tolerance(vocab: int) -> float:
    """Two draws of `DRAWS` samples of one distribution give frequencies this close for every token,
    except with probability 1e-9: each side of each token's bound, in each draw, gets its share."""
    x = LOG_ODDS + math.log(4 * vocab)
    return 2.0 * bernstein_halfwidth(DRAWS, 0.5, x)


# -- calling the submission --------------------------------------------------------------------------


def run(impl, case: Case, args: dict):
    protocol = args.get("protocol")
    if case.call == "greedy_decode":
        return _greedy(impl, args)
    if case.call == "top_p_filter" and case.outputs == TIED_OUTPUTS:
        return _tied(impl, args["logits"], args["p"])
    if case.call != "sample_next":
        return getattr(impl, case.call)(**args)
    options = {name: args[name] for name in ("temperature", "top_k", "top_p")}
    if protocol == "exact":
        return impl.sample_next(args["logits"], **options, generator=torch_generator(args["logits"], args["seed"]))
    if protocol == "frequencies":
        return _frequencies(impl, args, options)
    return _generator_use(impl, args, options)


def _tied(impl, logits, p):
    """The output with tokens tied with another of their row set aside (NaN), and the kept logits sorted."""
    import torch

    tied = (logits[..., :, None] == logits[..., None, :]).sum(-1) > 1  # (B, V)
    out = impl.top_p_filter(logits, p)
    if not isinstance(out, torch.Tensor) or out.shape != logits.shape:
        raise ProtocolError(f"top_p_filter must return a tensor of the logits' shape {tuple(logits.shape)}")
    return out.masked_fill(tied.to(out.device), float("nan")), out.sort(dim=-1, descending=True).values


def _ids(ids, rows: int, vocab: int):
    import torch

    if not isinstance(ids, torch.Tensor):
        raise ProtocolError(f"sample_next returned a {type(ids).__name__}; expected a tensor of ids, shape (B,)")
    if tuple(ids.shape) != (rows,):
        raise ProtocolError(f"sample_next returned shape {tuple(ids.shape)}; expected (B,) = ({rows},): one id per row")
    if ids.is_floating_point() or ids.is_complex() or ids.dtype == torch.bool:
        raise ProtocolError(f"sample_next returned {ids.dtype}; expected integer token ids (torch.int64)")
    low, high = int(ids.min()), int(ids.max())
    if low < 0 or high >= vocab:
        raise ProtocolError(f"sample_next returned the id {low if low < 0 else high}, outside [0, {vocab})")
    return ids


def _frequencies(impl, args: dict, options: dict):
    import torch

    row = args["row"]
    logits = row.repeat(args["draws"], 1)  # (N, V)
    ids = _ids(impl.sample_next(logits, **options, generator=torch_generator(row, args["seed"])), args["draws"], row.numel())
    counts = torch.bincount(ids.to(device="cpu", dtype=torch.int64), minlength=row.numel()).double()
    return (counts / args["draws"]).numpy(), (counts > 0).numpy()


def _generator_use(impl, args: dict, options: dict):
    import torch

    logits = args["logits"]
    rows, vocab = logits.shape
    before = torch_global_states(logits.device)
    generator = torch_generator(logits, args["seed"])
    state = generator.get_state()
    first = _ids(impl.sample_next(logits, **options, generator=generator), rows, vocab)
    replay = torch.Generator(device=logits.device)
    replay.set_state(state)
    again = _ids(impl.sample_next(logits, **options, generator=replay), rows, vocab)
    other = _ids(impl.sample_next(logits, **options, generator=torch_generator(logits, args["seed"] + 1)), rows, vocab)
    untouched = all(torch.equal(a, b) for a, b in zip(before, torch_global_states(logits.device)))
    return torch.equal(first, again), not torch.equal(first, other), untouched


def _greedy(impl, args: dict):
    import torch

    prompt, max_new, eos = args["prompt"], args["max_new_tokens"], args["eos_id"]
    out = impl.greedy_decode(_step_fn(args), prompt, max_new, eos_id=eos)
    if not isinstance(out, torch.Tensor) or out.dim() != 2:
        raise ProtocolError("greedy_decode must return the ids as one (B, T + n) tensor")
    width = prompt.shape[1] + max_new
    if eos is not None and out.shape[0] == prompt.shape[0] and out.shape[1] < width:
        # stopping once every row has finished is allowed: pad as running on would have
        pad = torch.full((out.shape[0], width - out.shape[1]), eos, dtype=out.dtype, device=out.device)
        out = torch.cat([out, pad], dim=1)
    return out


def _step_fn(args: dict):
    """A deterministic language model: logits (B, V) from a table row chosen by the whole prefix."""
    import torch

    prompt, table, weights = args["prompt"], args["table"], args["weights"]
    rows, longest = prompt.shape[0], weights.shape[0]

    def step_fn(ids):
        if not isinstance(ids, torch.Tensor) or ids.dim() != 2 or ids.shape[0] != rows:
            shape = tuple(ids.shape) if isinstance(ids, torch.Tensor) else type(ids).__name__
            raise ProtocolError(f"step_fn takes the ids so far, a ({rows}, t) tensor (the prompt and what was "
                                f"generated); it got {shape}")
        if ids.dtype != torch.int64 or ids.device != prompt.device:
            raise ProtocolError(f"step_fn takes int64 ids on the prompt's device ({prompt.device}); it got "
                                f"{ids.dtype} on {ids.device}")
        if ids.shape[1] > longest:
            raise ProtocolError(f"step_fn was called on {ids.shape[1]} positions, far more than the prompt and "
                                "max_new_tokens allow: does the loop stop?")
        key = (ids * weights[: ids.shape[1]]).sum(dim=1) % table.shape[0]  # (B,)
        return table[key]  # (B, V)

    return step_fn


# -- cases: NumPy only ------------------------------------------------------------------------------


def _case(name, call, args, *, dtype="float64", outputs=("logits",), note="", scale=None):
    suffix = ", float32" if dtype == "float32" else ""
    return Case(name=name + suffix, call=call, args=args, dtype=dtype, outputs=outputs, note=note, scale=scale)


def _shuffled(rng, rows: np.ndarray) -> np.ndarray:
    """Each row's entries in a random order: a sorted row would hide a mask applied in sorted order."""
    return np.stack([row[rng.permutation(row.size)] for row in rows])


def _top_k_cases(rng) -> list[Case]:
    tied = np.array([
        [2.0, 1.0, 1.0, 3.0, 0.5, 1.0, -1.0, 1.0],  # k = 3: 3, 2 and all four 1.0
        [0.0, 0.0, 0.0, 0.0, 0.0, 1.0, -2.0, 0.0],
        [4.0, -1.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0],
    ])
    max_ties = np.array([[1.5, 0.2, 1.5, -0.7, 1.5, 0.0], [0.3, 0.3, -1.0, -1.0, 0.1, 0.3]])
    partly_removed = rng.standard_normal((3, 9))
    partly_removed[:, [1, 4, 6]] = -np.inf  # an earlier filter's work
    ties = "ties with the k-th value are kept: (logits < kth value) → −inf, never a fixed count of k"
    return [
        _case("top_k_filter, k = 3, 4 × 10", "top_k_filter", {"logits": rng.standard_normal((4, 10)) * 2, "k": 3},
              note="every logit below the 3rd largest of its row becomes −inf; the rest are unchanged"),
        _case("top_k_filter, ties at the k-th value", "top_k_filter", {"logits": tied, "k": 3}, note=ties),
        _case("top_k_filter, k = 1 with ties at the maximum", "top_k_filter", {"logits": max_ties, "k": 1}, note=ties),
        _case("top_k_filter, k = V keeps every token", "top_k_filter", {"logits": rng.standard_normal((2, 7)), "k": 7}),
        _case("top_k_filter, rows already holding −inf", "top_k_filter", {"logits": partly_removed, "k": 4}),
        _case("top_k_filter, one row", "top_k_filter", {"logits": rng.standard_normal((1, 12)), "k": 5}),
        _case("top_k_filter, k = 5, 3 × 16", "top_k_filter", {"logits": rng.standard_normal((3, 16)) * 3, "k": 5},
              dtype="float32"),
        _case("top_k_filter, ties at the k-th value", "top_k_filter", {"logits": tied, "k": 2}, dtype="float32",
              note=ties),
    ]


def _nucleus_rows(rng, count: int, vocab: int, p: float, concentration: float = 1.0) -> np.ndarray:
    """Logits log(q) of random distributions q whose every cumulative sum stays P_MARGIN away from p."""
    rows = []
    while len(rows) < count:
        q = np.sort(rng.dirichlet(np.full(vocab, concentration)))[::-1]
        if q.min() > 1e-6 and np.abs(np.cumsum(q) - p).min() >= P_MARGIN:
            rows.append(np.log(q))
    return _shuffled(rng, np.array(rows))


def _top_p_cases(rng) -> list[Case]:
    # exact boundaries: equal logits give probabilities 1/4 and 1/8 exactly, so p = 0.5 or 0.375 is reached
    # exactly, after 2 and 3 of the tied tokens
    exact_quarters = np.full((2, 8), -np.inf)
    exact_quarters[0, [0, 3, 5, 6]] = 0.0
    exact_quarters[1, [1, 2, 4, 7]] = 0.0
    eighths = np.zeros((1, 8))
    # ties straddling the boundary, far from it: probabilities ∝ (e², e, e, e, 1, e⁻¹)
    straddling = _shuffled(rng, np.array([[2.0, 1.0, 1.0, 1.0, 0.0, -1.0], [3.0, 0.5, 0.5, 0.5, 0.5, -2.0]]))
    with_inf = _nucleus_rows(rng, 3, 9, 0.9)
    with_inf[:, -2:] = -np.inf
    boundary = ("p is reached exactly (probabilities 1/4 and 1/8 are exact in floating point): keep the smallest set "
                "whose cumulative probability is ≥ p, here 2 (p = 0.5) or 3 (p = 0.375) of the tied tokens")
    return [
        _case("top_p_filter, p = 0.7, 4 × 10", "top_p_filter", {"logits": _nucleus_rows(rng, 4, 10, 0.7), "p": 0.7},
              note="sort by probability, keep tokens until the cumulative probability reaches p (the token that "
                   "crosses p is kept), −inf for the rest, in the vocabulary's order"),
        _case("top_p_filter, p = 0.4, 3 × 12", "top_p_filter",
              {"logits": _nucleus_rows(rng, 3, 12, 0.4, 0.5), "p": 0.4},
              dtype="float32"),
        _case("top_p_filter, p below the largest probability", "top_p_filter",
              {"logits": _nucleus_rows(rng, 3, 6, 0.05, 0.3), "p": 0.05},
              note="the most probable token alone already reaches p: it is kept (never an empty set)"),
        _case("top_p_filter, p = 0.5 reached exactly", "top_p_filter", {"logits": exact_quarters, "p": 0.5},
              outputs=TIED_OUTPUTS, note=boundary),
        _case("top_p_filter, p = 0.375 reached exactly", "top_p_filter", {"logits": eighths, "p": 0.375},
              outputs=TIED_OUTPUTS, note=boundary),
        _case("top_p_filter, tied tokens across the boundary", "top_p_filter", {"logits": straddling, "p": 0.6},
              outputs=TIED_OUTPUTS, dtype="float32",
              note="which of the tied tokens are kept is free, how many is not"),
        _case("top_p_filter, rows already holding −inf, p = 0.9", "top_p_filter", {"logits": with_inf, "p": 0.9}),
    ]


# Rows for the frequency cases: logits a unit or so apart, in no particular order, so that every
# token keeps a probability above 1e-3 whatever temperature or filter (right or wrong) applies.
SAMPLING_ROW = np.array([0.1, 1.2, -0.9, 0.5, -0.4, 0.9, -1.4, 0.2])


def _sampling_cases(rng) -> list[Case]:
    vocab = SAMPLING_ROW.size

    def frequencies(name, dtype="float64", temperature=1.0, top_k=None, top_p=None, note=""):
        tolerance = frequency_tolerance(vocab)
        return _case(
            f"sample_next {name}: frequencies of {DRAWS} draws", "sample_next",
            {"row": SAMPLING_ROW, "draws": DRAWS, "temperature": temperature, "top_k": top_k, "top_p": top_p,
             "seed": draw_seed(rng), "protocol": "frequencies"},
            dtype=dtype, outputs=FREQUENCY_OUTPUTS, scale=tolerance / compare.TOLERANCES[dtype][1],
            note=(note + "; " if note else "") + f"the row repeated {DRAWS} times, sampled in one call: each token's "
            f"frequency is compared with the reference's own draw within {tolerance:.3f} (two correct draws differ by "
            "more with probability below 1e-9), and the tokens drawn at least once must be exactly the reference's",
        )

    exact = np.random.default_rng(EXACT_SEED)
    one_token = np.full((4, 6), -np.inf)
    one_token[np.arange(4), [2, 0, 5, 3]] = exact.standard_normal(4)
    flat = exact.standard_normal((64, 6)) * 0.5
    return [
        frequencies("at temperature 1", note="softmax(logits), sampled with torch.multinomial or any exact sampler"),
        frequencies("at temperature 0.5, top_k = 3", temperature=0.5, top_k=3,
                    note="logits / temperature: a temperature below 1 sharpens the distribution"),
        frequencies("at temperature 0.5, top_k = 3", dtype="float32", temperature=0.5, top_k=3),
        frequencies("at temperature 2, top_p = 0.6", temperature=2.0, top_p=0.6,
                    note="divide by the temperature first, then take the nucleus: at temperature 2 it holds more "
                         "tokens"),
        frequencies("at temperature 0.5, top_p = 0.6", dtype="float32", temperature=0.5, top_p=0.6,
                    note="divide by the temperature first, then take the nucleus: at temperature 0.5 it holds fewer "
                         "tokens"),
        frequencies("with top_k = 4 then top_p = 0.55", top_k=4, top_p=0.55,
                    note="top-k first, then the nucleus of what is left (renormalised), as Hugging Face's warpers"),
        frequencies("with top_k = 3 then top_p = 0.65", dtype="float32", top_k=3, top_p=0.65,
                    note="the nucleus of what top-k left: 2 of the 3 tokens, where the full distribution's has 3"),
        _case("sample_next with top_k = 1 is the argmax", "sample_next",
              {"logits": exact.standard_normal((6, 10)), "temperature": 0.7, "top_k": 1, "top_p": None,
               "seed": EXACT_SEED, "protocol": "exact"}, outputs=("ids",)),
        _case("sample_next with a tiny top_p is the argmax", "sample_next",
              {"logits": exact.standard_normal((5, 9)), "temperature": 1.3, "top_k": None, "top_p": 1e-3,
               "seed": EXACT_SEED, "protocol": "exact"}, dtype="float32", outputs=("ids",)),
        _case("sample_next on rows with one possible token", "sample_next",
              {"logits": one_token, "temperature": 1.0, "top_k": None, "top_p": None, "seed": EXACT_SEED,
               "protocol": "exact"}, outputs=("ids",), note="ids (B,) int64 on the logits' device"),
        _case("sample_next uses only the generator given", "sample_next",
              {"logits": flat, "temperature": 1.0, "top_k": None, "top_p": None, "seed": draw_seed(rng),
               "protocol": "rng"}, outputs=RNG_OUTPUTS,
              note="called twice with generators in the same state and once with another seed: the same state "
                   "must give the same ids, another seed other ids, and torch's global generator must not move"),
    ]


def _greedy_case(rng, name, *, batch, prompt_len, max_new, eos=None, vocab=7, eos_share=0.0, dtype="float64", note=""):
    rows = 97
    # every table row holds the values -V/2 … V/2 - 1, a unit apart, in a random order
    table = np.stack([rng.permutation(vocab) - vocab // 2 for _ in range(rows)]).astype(np.float64)
    if eos is not None:
        for row in table[rng.random(rows) < eos_share]:
            top = int(np.argmax(row))
            row[[top, eos]] = row[[eos, top]]  # eos becomes this row's argmax
    ordinary = [token for token in range(vocab) if token != eos]
    prompt = rng.choice(ordinary, size=(batch, prompt_len))
    weights = rng.integers(1, 50, size=2 * (prompt_len + max_new) + 8)
    return _case(
        name, "greedy_decode",
        {"prompt": prompt.astype(np.int64), "max_new_tokens": max_new, "eos_id": eos, "table": table,
         "weights": weights.astype(np.int64)},
        dtype=dtype, outputs=("ids",), note=note,
    )


def _greedy_cases() -> list[Case]:
    exact = np.random.default_rng(EXACT_SEED + 1)
    padding = "a row that emits eos_id is finished: every later position of that row is eos_id"
    return [
        _greedy_case(exact, "greedy_decode without eos", batch=4, prompt_len=3, max_new=6,
                     note="step_fn(ids) gives the logits of the next token from the whole prefix (B, t): append the "
                          "argmax of each row and call again, max_new_tokens times"),
        _greedy_case(exact, "greedy_decode, rows finishing at different steps", batch=6, prompt_len=2, max_new=8,
                     eos=2, eos_share=0.25, note=padding),
        _greedy_case(exact, "greedy_decode, every row finishing early", batch=3, prompt_len=4, max_new=9, eos=0,
                     eos_share=0.6, dtype="float32",
                     note=padding + "; stopping once every row has finished, or running on with eos, are both fine"),
        _greedy_case(exact, "greedy_decode, rows finishing at different steps", batch=5, prompt_len=3, max_new=7,
                     eos=4, eos_share=0.3, dtype="float32", note=padding),
        _greedy_case(exact, "greedy_decode, one row, prompt of one token", batch=1, prompt_len=1, max_new=5),
        _greedy_case(exact, "greedy_decode with max_new_tokens = 0", batch=2, prompt_len=3, max_new=0, eos=1,
                     note="nothing to generate: the prompt itself"),
    ]


def cases(rng: np.random.Generator) -> list[Case]:
    exact = np.random.default_rng(EXACT_SEED)
    return [*_top_k_cases(exact), *_top_p_cases(exact), *_sampling_cases(rng), *_greedy_cases()]
