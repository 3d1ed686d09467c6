"""Mistakes interviewers see in scaled dot-product attention."""

import numpy as np
import torch

from dlprep.grading.spec import mistake


def _d_k(Q, K, V):
    return Q.size(-1)


def _scores(*, size=_d_k, power=0.5, keys=lambda K: K.transpose(-2, -1)):
    """QKᵀ / size(Q, K, V) ** power, with `keys` the transpose of K."""
    def scores(Q, K, V):
        return Q @ keys(K) / size(Q, K, V) ** power  # (..., L, S)

    return scores


def _masked_fill(value, hidden=lambda mask: mask == 0):
    return lambda scores, mask: scores.masked_fill(hidden(mask), value)


def _added(value, hidden=lambda mask: mask == 0):
    return lambda scores, mask: scores + hidden(mask).to(scores.dtype) * value


def _unstable_softmax(scores):
    e = scores.exp()  # inf for scores above ~709 (88.7 in float32): inf / inf = NaN
    return e / e.sum(dim=-1, keepdim=True)


def _attention(*, scores=_scores(), hide=_masked_fill(float("-inf")), softmax=lambda s: torch.softmax(s, dim=-1),
               after_softmax=None):
    """The reference's steps, each replaceable: `hide` masks the scores before the softmax,
    `after_softmax` (if given) masks the weights after it."""
    def self_attention(Q, K, V, mask=None):
        s = scores(Q, K, V)
        if mask is not None and hide is not None:
            s = hide(s, mask)
        weights = softmax(s)
        if mask is not None and after_softmax is not None:
            weights = after_softmax(weights, mask)
        return weights @ V, weights

    return self_attention


def _weights_of(outputs):
    return np.asarray(outputs["weights"], dtype=np.float64)


def _hidden_keys(case, weights):
    return np.broadcast_to(np.asarray(case.args["mask"]) == 0, weights.shape)


def _weight_on_hidden_keys(case, outputs) -> bool:
    """Each row that hides some keys, but not all, puts its whole weight on the hidden ones."""
    if case.call != "self_attention" or "mask" not in case.args:
        return False
    weights = _weights_of(outputs)
    hidden = _hidden_keys(case, weights)
    partial = hidden.any(axis=-1) & ~hidden.all(axis=-1)
    on_hidden = np.where(hidden, weights, 0.0).sum(axis=-1)
    return bool(partial.any() and np.isfinite(on_hidden[partial]).all() and np.allclose(on_hidden[partial], 1.0, atol=1e-4))


def _sums_to_one(weights, axis) -> bool:
    """Every slice along `axis` sums to 1, but for slices wholly NaN (a softmax of -inf only)."""
    nan = np.isnan(weights)
    whole = nan.all(axis=axis)
    return bool((nan.any(axis=axis) == whole).all() and np.allclose(np.where(whole, 1.0, np.nansum(weights, axis=axis)), 1.0))


def _normalised_along_another_dim(case, outputs) -> bool:
    """Weights of the right shape whose slices along some other dimension, not the keys', sum to 1."""
    if case.call != "self_attention":
        return False
    weights = _weights_of(outputs)
    Q, K = case.args["Q"], case.args["K"]
    if weights.shape != (*np.broadcast_shapes(Q.shape[:-2], K.shape[:-2]), Q.shape[-2], K.shape[-2]) or np.isinf(weights).any():
        return False
    return not _sums_to_one(weights, -1) and any(_sums_to_one(weights, axis) for axis in range(weights.ndim - 1))


def _softmax_broke_on_large_scores(case, outputs) -> bool:
    """On large scores, weights that are not finite or whose rows no longer sum to 1."""
    if "large" not in case.tags:
        return False
    weights = _weights_of(outputs)
    return bool(not np.isfinite(weights).all() or not np.allclose(weights.sum(axis=-1), 1.0, atol=1e-3))


def _every_dim_reversed(K):
    return K.permute(*range(K.dim() - 1, -1, -1))  # what K.T does (with a deprecation warning beyond 2-D)


def _causal(triangle):
    return lambda n, device=None: triangle(torch.ones(n, n, dtype=torch.bool, device=device))


MISTAKES = [
    mistake(
        "no-scale",
        "The scores are not divided by √dₖ. The guide's formula is softmax(QKᵀ/√dₖ)V: without the "
        "scale, dot products grow with dₖ, the softmax saturates and its gradients vanish.",
        self_attention=_attention(scores=_scores(power=0.0)),
    ),
    mistake(
        "scale-by-dk",
        "The scores end up divided by dₖ instead of √dₖ (divided by dₖ, or by √dₖ twice: Q and K each "
        "scaled, or Q and then the scores). QKᵀ has variance dₖ for unit-variance inputs, so dividing by "
        "its standard deviation √dₖ keeps it at 1; dividing by dₖ shrinks it to 1/dₖ.",
        self_attention=_attention(scores=_scores(power=1.0)),
    ),
    mistake(
        "scale-multiplied",
        "The scores are multiplied by √dₖ instead of divided by it. The guide's formula is "
        "softmax(QKᵀ/√dₖ)V: dividing by the standard deviation √dₖ of q·k keeps the scores at variance 1; "
        "multiplying makes them dₖ times larger and saturates the softmax.",
        self_attention=_attention(scores=_scores(power=-0.5)),
    ),
    mistake(
        "scale-wrong-size",
        "The scale is the square root of another size than dₖ. dₖ is the size of the queries' and keys' "
        "last dimension, Q.size(-1) (or Q.shape[-1]): not the number of queries L or keys S, nor d_v, nor "
        "Q.size(0) or Q.size(1), which are L, the batch or the heads depending on the leading dimensions.",
        variants=[
            {"self_attention": _attention(scores=_scores(size=size))}
            for size in (lambda Q, K, V: Q.size(-2), lambda Q, K, V: K.size(-2), lambda Q, K, V: V.size(-1),
                         lambda Q, K, V: Q.size(0))
        ],
        self_attention=_attention(scores=_scores(size=lambda Q, K, V: Q.size(1))),
    ),
    mistake(
        "wrong-softmax-dim",
        "The softmax does not run over the keys: dim=-2 is the queries, and a fixed dim=0, 1 or 2 (or "
        "none, which F.softmax picks by the number of dimensions) is the keys' dimension for one number "
        "of dimensions at most. Each query's weights over the S keys must sum to 1: normalise along the "
        "last dimension of the (..., L, S) scores, dim=-1.",
        variants=[
            {"self_attention": _attention(softmax=softmax)}
            # dim=0, or none (F.softmax picks 0 for 3-D input), is the property alone: no case passes with it
            for softmax in (lambda s: torch.softmax(s, dim=1), lambda s: torch.softmax(s, dim=2))
        ],
        predicate=_normalised_along_another_dim,
        self_attention=_attention(softmax=lambda s: torch.softmax(s, dim=-2)),
    ),
    mistake(
        "inverted-mask",
        "The mask is inverted: True/1 means *may attend*, so the scores to hide are where `mask == 0` "
        "(the guide's `masked_fill(mask == 0, -inf)`), not where the mask is True: your weights sit on "
        "exactly the keys the mask hides.",
        # Any fill value, added or filled: the property says it, whatever rows with no key hidden become
        variants=[{"self_attention": _attention(hide=_added(-1e9, hidden=lambda mask: mask != 0))}],
        predicate=_weight_on_hidden_keys,
        self_attention=_attention(hide=_masked_fill(float("-inf"), hidden=lambda mask: mask != 0)),
    ),
    mistake(
        "mask-after-softmax",
        "The mask is applied after the softmax, so the remaining weights no longer sum to 1. Masked "
        "scores must be set to -∞ *before* the softmax, which then renormalises over the visible keys.",
        self_attention=_attention(hide=None, after_softmax=lambda w, mask: w.masked_fill(mask == 0, 0.0)),
    ),
    mistake(
        "mask-zero-fill",
        "Masked scores are set to 0 instead of −∞ (`masked_fill(mask == 0, 0)`, or the scores multiplied "
        "by the mask): exp(0) = 1, so the masked keys still get weight. Set them to −∞ (or a very large "
        "negative number) before the softmax.",
        self_attention=_attention(hide=_masked_fill(0.0)),
    ),
    mistake(
        "mask-ignored",
        "The mask has no effect: the masked keys get weight as if there were no mask. A common cause: "
        "`scores.masked_fill(mask == 0, -inf)` returns a new tensor and leaves `scores` as it was; assign "
        "its result (`scores = scores.masked_fill(...)`).",
        self_attention=_attention(hide=None),
    ),
    mistake(
        "unstable-softmax",
        "The softmax exponentiates the raw scores: exp overflows to inf above ≈ 709 (88.7 in float32), "
        "and inf/inf is NaN (through a log-sum-exp, log(inf) = inf turns every weight into 0). Subtract "
        "each row's maximum first, softmax(s) = softmax(s − max s), or call torch.softmax, which does.",
        predicate=_softmax_broke_on_large_scores,
        self_attention=_attention(softmax=_unstable_softmax),
    ),
    mistake(
        "fixed-dims",
        "The code handles one number of dimensions only, but leading dimensions are any number (none, a "
        "batch, batch and heads, broadcast between Q and K). K.T reverses every dimension (right for 2-D "
        "only); K.transpose(1, 2), K.permute(0, 2, 1) and torch.bmm assume 3-D (B, L, dₖ). Transpose the "
        "last two dimensions, K.transpose(-2, -1), and multiply with @ or torch.matmul, which broadcast.",
        # permute(0, 2, 1) and bmm give what transpose(1, 2) gives: the same values, the same errors
        variants=[{"self_attention": _attention(scores=_scores(keys=_every_dim_reversed))}],
        self_attention=_attention(scores=_scores(keys=lambda K: K.transpose(1, 2))),
    ),
    mistake(
        "causal-mask-triangle",
        "causal_mask is not True exactly on and below the diagonal. Query i may attend to keys j ≤ i, "
        "itself included, and True means may attend: torch.ones(n, n, dtype=torch.bool).tril(). "
        "triu(diagonal=1) is the opposite convention (True = hidden, as nn.Transformer's attn_mask).",
        variants=[{"causal_mask": _causal(lambda ones: ones.triu())}, {"causal_mask": _causal(lambda ones: ones.tril(-1))}],
        causal_mask=_causal(lambda ones: ones.triu(1)),
    ),
]
