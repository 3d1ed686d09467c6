"""A hint's code does what it hints at: each snippet (the code in backticks) runs on the kata's own
cases, and what it computes is compared with the reference.

`hinted(kata, text)` finds the one snippet of a kata's hints that contains `text`, so a hint whose
code is edited away or rewritten makes its check fail loudly rather than pass on stale code.
"""

from __future__ import annotations

import ast
import math
import re

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from dlprep.grading import loaders
from dlprep.grading.execute import materialize
from dlprep.katas.catalog import load

CATALOG = load()


def snippets(kata_id: str) -> list[str]:
    return [code for hint in CATALOG.get(kata_id).hints for code in re.findall(r"`([^`]+)`", hint)]


def hinted(kata_id: str, text: str) -> str:
    found = [code for code in snippets(kata_id) if text in code]
    assert len(found) == 1, f"{kata_id}: expected one hint snippet containing {text!r}, found {found}"
    return found[0]


def run(code: str, **names):
    """Execute a snippet with `names` bound; the value of its last expression (or the names it set)."""
    tree = ast.parse(code)
    scope = {"torch": torch, "F": F, "math": math, "np": np, **names}
    last = tree.body.pop() if isinstance(tree.body[-1], ast.Expr) else None
    exec(compile(tree, "<hint>", "exec"), scope)
    return eval(compile(ast.Expression(last.value), "<hint>", "eval"), scope) if last else scope


def cases(kata_id: str, call: str) -> list[dict]:
    kata = CATALOG.get(kata_id)
    return [materialize(case, kata.framework, "cpu") for case in loaders.make_cases(kata) if case.call == call]


def reference(kata_id: str):
    return loaders.reference(CATALOG.get(kata_id))


def scores_for(mask: torch.Tensor, heads: int | None = None) -> torch.Tensor:
    """Random scores a mask applies to: (..., L, S), with a heads dimension when given."""
    shape = mask.shape if heads is None else (mask.shape[0], heads, *mask.shape[-2:])
    return torch.randn(shape, dtype=torch.float64, generator=torch.Generator().manual_seed(0))


# --- masks: bool and 0/1 integer alike -------------------------------------------------------


def test_attention_masking_hint_gives_the_references_weights_on_every_masked_case():
    masked_cases = [args for args in cases("attention", "self_attention") if "mask" in args]
    kinds = {args["mask"].dtype for args in masked_cases}
    assert torch.bool in kinds and torch.int64 in kinds, "the kata masks with bool and with 0/1 integers"
    for args in masked_cases:
        Q, K, V, mask = args["Q"], args["K"], args["V"], args["mask"]
        scores = Q @ run(hinted("attention", "transpose(-2, -1)"), K=K) / math.sqrt(Q.shape[-1])
        masked = run(hinted("attention", "masked_fill"), scores=scores, mask=mask)
        _, expected = reference("attention").self_attention(Q, K, V, mask)
        torch.testing.assert_close(torch.softmax(masked, dim=-1), expected)


def test_causal_mask_hint_is_the_references():
    for args in cases("attention", "causal_mask"):
        assert torch.equal(run(hinted("attention", "tril()"), **args), reference("attention").causal_mask(**args))


@pytest.mark.parametrize("kata_id, names", [("multihead", ("mask",)), ("transformer_block", ("mask", "tgt_mask", "memory_mask"))])
def test_mask_hints_hide_exactly_the_masked_keys_for_every_heads_mask(kata_id, names):
    masks = [args[name] for call in ("multi_head_attention", "EncoderBlock", "DecoderBlock") for args in cases(kata_id, call) for name in names if args.get(name) is not None]
    assert masks
    for mask in masks:
        heads_mask = run(hinted(kata_id, "mask.unsqueeze(1)"), mask=mask) if mask.dim() == 3 else mask
        scores = scores_for(mask, heads=2) if mask.dim() == 3 else scores_for(mask)
        if kata_id == "transformer_block":
            filled = run(hinted(kata_id, "masked_fill(mask == 0"), scores=scores, mask=heads_mask)
        else:
            filled = scores.masked_fill(run(hinted(kata_id, "mask == 0"), mask=heads_mask), float("-inf"))
        hidden = torch.softmax(filled, dim=-1) == 0
        assert torch.equal(hidden, (heads_mask == 0).expand_as(hidden))


# --- losses ------------------------------------------------------------------------------------


def test_triplet_hints_give_the_references_loss():
    for args in cases("metric_losses", "triplet_loss"):
        distance = hinted("metric_losses", "(anchor - positive")
        d_ap = run(distance, anchor=args["anchor"], positive=args["positive"])
        d_an = run(distance, anchor=args["anchor"], positive=args["negative"])
        loss = run(hinted("metric_losses", "clamp(min=0)"), d_ap=d_ap, d_an=d_an, margin=args.get("margin", 1.0))
        torch.testing.assert_close(loss, reference("metric_losses").triplet_loss(**args))


def test_info_nce_hints_give_the_references_loss():
    for args in cases("metric_losses", "info_nce"):
        N = args["z_i"].shape[0]
        z = F.normalize(torch.cat([args["z_i"], args["z_j"]]), dim=1)
        s = z @ z.T / args.get("temperature", 0.5)
        s = run(hinted("metric_losses", "torch.eye(2 * N"), s=s, N=N)
        that = run(hinted("metric_losses", ".roll(N)"), s=s, N=N)
        loss = run(hinted("metric_losses", "F.cross_entropy(s, that)"), s=s, that=that)
        torch.testing.assert_close(loss, reference("metric_losses").info_nce(**args))


def test_regression_hints_give_the_references_losses():
    for args in cases("regression_losses", "l1_loss"):
        torch.testing.assert_close(run(hinted("regression_losses", ".abs().mean()"), **args), reference("regression_losses").l1_loss(**args))
    for args in cases("regression_losses", "huber_loss"):
        loss = run(hinted("regression_losses", "torch.where(a < delta"), **{"delta": 1.0, **args})
        torch.testing.assert_close(loss, reference("regression_losses").huber_loss(**args))


def test_bce_log_clamp_hint_is_finite_where_p_is_0_or_1():
    for args in cases("classification_losses", "binary_cross_entropy"):
        logged = run(hinted("classification_losses", "torch.log(p).clamp(min=-100)"), p=args["p"].detach())
        assert torch.isfinite(logged).all() and logged.min() >= -100


def test_cross_entropy_gather_hint_picks_the_true_class():
    for args in cases("classification_losses", "cross_entropy"):
        log_probs = torch.log_softmax(args["logits"].detach(), dim=1)
        picked = run(hinted("classification_losses", "log_probs.gather"), log_probs=log_probs, target=args["target"])
        assert torch.equal(picked[:, 0], log_probs[torch.arange(len(args["target"])), args["target"]])


# --- schedules, encodings, clipping -----------------------------------------------------------


def test_linear_warmup_hint_gives_the_references_schedule():
    body = hinted("lr_schedules", "if t < warmup_steps")
    namespace = run(f"def linear_warmup(t, warmup_steps, lr_max):\n    {body}\n    return lr_max")
    for args in cases("lr_schedules", "linear_warmup"):
        hyper = {k: v for k, v in args.items() if k != "t"}
        for t in args["t"]:  # a case holds a whole schedule
            assert namespace["linear_warmup"](t, **hyper) == pytest.approx(reference("lr_schedules").linear_warmup(t, **hyper), rel=1e-12)


def test_positional_encoding_hints_build_the_references_table():
    for args in cases("positional_encoding", "sinusoidal_encoding"):
        args["dtype"] = getattr(torch, args.get("dtype", "float32"))  # cases carry the dtype's name
        built = run(hinted("positional_encoding", "pos = torch.arange(max_len"), **args)
        built = run(hinted("positional_encoding", "angle = pos / 10000"), **built)
        built = run(hinted("positional_encoding", "pe = torch.empty"), **built)
        run(hinted("positional_encoding", "pe[:, 0::2] = sin(angle)"), sin=torch.sin, **built)
        cosines = run(hinted("positional_encoding", "angle[:, : d_model // 2]"), **built)
        run(hinted("positional_encoding", "pe[:, 1::2] = cos(angle)"), cos=torch.cos, pe=built["pe"], angle=cosines)
        table = run(f"def finish(pe, dtype):\n    {hinted('positional_encoding', 'return pe.to(dtype)')}")["finish"](built["pe"], args["dtype"])
        torch.testing.assert_close(table, reference("positional_encoding").sinusoidal_encoding(**args))


def test_clip_value_hint_clips_as_the_reference():
    for args in cases("grad_clipping", "clip_grad_value_"):
        for grad in [g for g in args["grads"] if g is not None]:
            expected = grad.clone().clamp(-args["clip_value"], args["clip_value"])
            clipped = grad.clone()
            run(hinted("grad_clipping", "g.clamp_("), g=clipped, clip_value=args["clip_value"])
            assert torch.equal(clipped, expected)
