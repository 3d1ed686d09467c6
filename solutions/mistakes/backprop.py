"""Mistakes interviewers see when backpropagating through an MLP by hand."""

import numpy as np

from dlprep.grading.spec import mistake
from dlprep.solutions.backprop import activate, activation_grad


def _stable(logits, y):
    rows = np.arange(len(y))
    shifted = logits - logits.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    return np.exp(log_probs), log_probs[rows, y]


def _unstable(logits, y):
    e = np.exp(logits)  # overflows to inf for logits above ~709
    probs = e / e.sum(axis=1, keepdims=True)
    return probs, np.log(probs[np.arange(len(y)), y])


def _log_of_softmax(logits, y):
    e = np.exp(logits - logits.max(axis=1, keepdims=True))
    probs = e / e.sum(axis=1, keepdims=True)  # stable, but p underflows to 0 ...
    return probs, np.log(probs[np.arange(len(y)), y])  # ... and log(0) = -inf


def _with_eps(eps):
    """log(p + ε): finite where p underflows, but log ε is no log-probability."""
    def softmax(logits, y):
        probs, _ = _stable(logits, y)
        return probs, np.log(probs[np.arange(len(y)), y] + eps)

    return softmax


def _unstable_log_sum_exp(logits, y):
    log_probs = logits - np.log(np.exp(logits).sum(axis=1, keepdims=True))  # log(inf) = inf
    return np.exp(log_probs), log_probs[np.arange(len(y)), y]


def _only_for(name, wrong):
    """g'(z) as the reference computes it, except `wrong(z)` for activation `name`."""
    return lambda z, activation: wrong(z) if activation == name else activation_grad(z, activation)


def _at_activation(*names):
    """g' evaluated at the activation a = g(z) instead of at z, for the activations `names`."""
    return lambda z, activation: activation_grad(activate(z, activation) if activation in names else z, activation)


def _mean(log_p_y, C):
    return -log_p_y.mean()


def _mlp(
    *,
    softmax=_stable,
    loss=_mean,
    divisor=lambda N, C: N,
    act_grad=activation_grad,
    output_activation=False,
    output_grad=None,
    dW=lambda delta, a_prev, N: delta.T @ a_prev,
    db=lambda delta, N: delta.sum(axis=0),
    propagate=lambda delta, W: delta @ W,
    propagate_below_first=True,
    backward_order=False,
):
    """The reference's steps, each replaceable. `output_activation`: the last layer is activated in the
    forward; `output_grad`: the backward multiplies by its g' (by default, whenever it is activated)."""
    output_grad = output_activation if output_grad is None else output_grad

    def mlp_loss_and_grads(params, X, y, activation="relu"):
        with np.errstate(all="ignore"):  # the unstable variants overflow on purpose
            N = X.shape[0]
            a, cache = X, []
            for l, (W, b) in enumerate(params):
                z = a @ W.T + b
                cache.append((a, z))
                linear = l == len(params) - 1 and not output_activation
                a = z if linear else activate(z, activation)
            logits = a  # (N, C)
            probs, log_p_y = softmax(logits, y)
            delta = probs.copy()
            delta[np.arange(N), y] -= 1.0
            delta /= divisor(N, logits.shape[1])  # (N, C)
            grads = []
            for l in reversed(range(len(params))):
                a_prev, z = cache[l]
                if l < len(params) - 1 or output_grad:
                    delta = delta * act_grad(z, activation)
                grads.append((dW(delta, a_prev, N), db(delta, N)))
                if l > 0 or propagate_below_first:
                    delta = propagate(delta, params[l][0])
            return float(loss(log_p_y, logits.shape[1])), grads if backward_order else grads[::-1]

    return mlp_loss_and_grads


def _large(case, outputs) -> bool:
    """Non-finite loss or gradients on a case whose logits are of magnitude 1e3."""
    finite = all(np.isfinite(np.asarray(value, dtype=np.float64)).all() for value in outputs.values())
    return "large" in case.tags and not finite


EPSILONS = (1e-7, 1e-8, 1e-9, 1e-10, 1e-12, 1e-15)
"""The ε learners add inside log(p + ε)."""

MISTAKES = [
    mistake(
        "sum-not-mean",
        "The loss is summed over the batch instead of averaged. Cross-entropy is "
        "L = −(1/N) Σₙ log softmax(zₙ)[yₙ], so ∂L/∂z = (softmax(z) − one_hot(y)) / N: divide by the "
        "batch size N (the loss and, through δ, every gradient).",
        variants=[{"mlp_loss_and_grads": _mlp(loss=lambda log_p_y, C: -log_p_y.sum())}],
        mlp_loss_and_grads=_mlp(loss=lambda log_p_y, C: -log_p_y.sum(), divisor=lambda N, C: 1),
    ),
    mistake(
        "mean-over-classes",
        "The loss is averaged over every entry of the (N, C) one-hot product, −mean(one_hot ⊙ log p), "
        "which divides by N·C: only N terms are nonzero. Cross-entropy is L = −(1/N) Σₙ log pₙ[yₙ], the "
        "mean over the batch of each sample's log-probability of its class.",
        variants=[{"mlp_loss_and_grads": _mlp(loss=lambda log_p_y, C: -log_p_y.mean() / C, divisor=lambda N, C: N * C)}],
        mlp_loss_and_grads=_mlp(loss=lambda log_p_y, C: -log_p_y.mean() / C),
    ),
    mistake(
        "grads-not-averaged",
        "The loss is averaged over the batch but the gradients are not: ∂L/∂z must be "
        "(softmax(z) − one_hot(y)) / N, since L = −(1/N) Σₙ log pₙ[yₙ]. Your gradients are N times "
        "too large, which no longer matches your own loss.",
        mlp_loss_and_grads=_mlp(divisor=lambda N, C: 1),
    ),
    mistake(
        "averaged-twice",
        "The gradients are divided by the batch size N twice: δ = (softmax(z) − one_hot(y)) / N already "
        "carries the 1/N of the mean, so dW = δᵀa and db = Σₙ δ need no further division (or divide δ "
        "by N nowhere else).",
        variants=[
            {"mlp_loss_and_grads": _mlp(dW=lambda delta, a_prev, N: delta.T @ a_prev / N)},
            {"mlp_loss_and_grads": _mlp(db=lambda delta, N: delta.mean(axis=0))},
        ],
        mlp_loss_and_grads=_mlp(dW=lambda delta, a_prev, N: delta.T @ a_prev / N, db=lambda delta, N: delta.sum(axis=0) / N),
    ),
    mistake(
        "unstable-softmax",
        "The softmax exponentiates the raw logits: exp(z) overflows to inf above z ≈ 709 and inf/inf "
        "gives NaN. Subtract each row's maximum first — softmax(z) = softmax(z − max z) — and take the "
        "log-probabilities as (z − max) − log Σ exp(z − max).",
        variants=[{"mlp_loss_and_grads": _mlp(softmax=_unstable_log_sum_exp)}],
        predicate=_large,
        mlp_loss_and_grads=_mlp(softmax=_unstable),
    ),
    mistake(
        "log-of-softmax",
        "The loss takes log(softmax(z)): the softmax is stable, but a probability below ~1e-308 "
        "underflows to 0 and log(0) = −inf, so the loss is infinite (with log(p + ε), it is log ε, no "
        "log-probability at all). Compute log-probabilities directly: "
        "log pᵢ = (zᵢ − max z) − log Σⱼ exp(zⱼ − max z).",
        variants=[{"mlp_loss_and_grads": _mlp(softmax=_with_eps(eps))} for eps in EPSILONS],
        mlp_loss_and_grads=_mlp(softmax=_log_of_softmax),
    ),
    mistake(
        "tanh-derivative",
        "The tanh derivative is wrong: tanh'(z) = 1 − tanh²(z) (the guide's formula), one minus the "
        "square of the activation; not 1 − tanh(z), nor 1 − z² (the pre-activation squared), nor "
        "tanh(z)(1 − tanh(z)) (the sigmoid's form).",
        variants=[
            {"mlp_loss_and_grads": _mlp(act_grad=_only_for("tanh", wrong))}
            for wrong in (lambda z: 1.0 - z**2, lambda z: np.tanh(z) * (1.0 - np.tanh(z)))
        ],
        mlp_loss_and_grads=_mlp(act_grad=_only_for("tanh", lambda z: 1.0 - np.tanh(z))),
    ),
    mistake(
        "sigmoid-derivative-of-z",
        "The sigmoid derivative is computed as z(1 − z), from the pre-activation z. The formula "
        "σ'(z) = σ(z)(1 − σ(z)) is written in terms of the activation a = σ(z): use a(1 − a), not z(1 − z).",
        mlp_loss_and_grads=_mlp(act_grad=_only_for("sigmoid", lambda z: z * (1.0 - z))),
    ),
    mistake(
        "derivative-at-activation",
        "g' is evaluated at the activation a = g(z) instead of at the pre-activation z: σ(a)(1 − σ(a)) "
        "or 1 − tanh²(a), a function applied twice. Either evaluate g'(z) on the cached z, or write it "
        "from the cached activation: σ'(z) = a(1 − a), tanh'(z) = 1 − a².",
        variants=[{"mlp_loss_and_grads": _mlp(act_grad=_at_activation(name))} for name in ("sigmoid", "tanh")],
        mlp_loss_and_grads=_mlp(act_grad=_at_activation("sigmoid", "tanh")),
    ),
    mistake(
        "missing-activation-grad",
        "The backward pass through a hidden layer skips the activation's derivative. The guide's "
        "δˡ = (Wˡ⁺¹)ᵀδˡ⁺¹ ⊙ g'(zˡ) multiplies elementwise by g'(zˡ) before using δˡ for ∂L/∂Wˡ and ∂L/∂bˡ.",
        variants=[{"mlp_loss_and_grads": _mlp(act_grad=_only_for("relu", np.ones_like))}],
        mlp_loss_and_grads=_mlp(act_grad=lambda z, activation: np.ones_like(z)),
    ),
    mistake(
        "activation-on-output-layer",
        "The activation is applied to the output layer too. The last layer is linear: its outputs are "
        "the logits fed to the softmax (a ReLU there would clip negative logits to 0, a sigmoid squash "
        "them into (0, 1)).",
        variants=[{"mlp_loss_and_grads": _mlp(output_activation=True, output_grad=False)}],
        mlp_loss_and_grads=_mlp(output_activation=True),
    ),
    mistake(
        "missing-transpose",
        "dW is returned transposed, shape (n_in, n_out). With PyTorch's layout W is (n_out, n_in) and "
        "z = a Wᵀ + b, so ∂L/∂W = δᵀ a (the guide's δˡ(aˡ⁻¹)ᵀ for one sample): (n_out, N) @ (N, n_in).",
        mlp_loss_and_grads=_mlp(dW=lambda delta, a_prev, N: a_prev.T @ delta),
    ),
    mistake(
        "delta-through-transposed-W",
        "δ is passed to the layer below as δWᵀ. With W of shape (n_out, n_in) and z = a Wᵀ + b, the "
        "gradient with respect to the layer's input is ∂L/∂a = δ W, (N, n_out) @ (n_out, n_in); the "
        "guide's (Wˡ⁺¹)ᵀδˡ⁺¹ is the same product written for one sample as a column vector.",
        variants=[{"mlp_loss_and_grads": _mlp(propagate=lambda delta, W: delta @ W.T, propagate_below_first=False)}],
        mlp_loss_and_grads=_mlp(propagate=lambda delta, W: delta @ W.T),
    ),
    mistake(
        "db-not-summed",
        "db is not δ summed over the batch. The guide's ∂L/∂b = δ is for one sample; over a batch the "
        "bias gets every sample's contribution: db = δ.sum(axis=0), shape (n_out,) (not δ itself, "
        "δ.sum(axis=1) over the units, or δ.sum() over everything).",
        variants=[{"mlp_loss_and_grads": _mlp(db=lambda delta, N: delta.sum(axis=1))},
                  {"mlp_loss_and_grads": _mlp(db=lambda delta, N: delta.sum())}],
        mlp_loss_and_grads=_mlp(db=lambda delta, N: delta),
    ),
    mistake(
        "grads-reversed",
        "The gradients come back in backward order (last layer first). Backpropagation visits the layers "
        "from the output down; reverse the list so grads[l] matches params[l].",
        mlp_loss_and_grads=_mlp(backward_order=True),
    ),
]
