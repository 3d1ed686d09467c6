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


def _only_for(name, wrong):
    """g'(z) as the reference computes it, except `wrong(z)` for activation `name`."""
    return lambda z, activation: wrong(z) if activation == name else activation_grad(z, activation)


def _mlp(
    *,
    softmax=_stable,
    average_loss=True,
    average_grads=True,
    act_grad=activation_grad,
    output_activation=False,
    dW=lambda delta, a_prev: delta.T @ a_prev,
    db=lambda delta: delta.sum(axis=0),
    backward_order=False,
):
    def mlp_loss_and_grads(params, X, y, activation="relu"):
        with np.errstate(all="ignore"):  # the unstable variants overflow on purpose
            N = X.shape[0]
            a, cache = X, []
            for l, (W, b) in enumerate(params):
                z = a @ W.T + b
                cache.append((a, z))
                linear = l == len(params) - 1 and not output_activation
                a = z if linear else activate(z, activation)
            probs, log_p_y = softmax(a, y)
            loss = -log_p_y.mean() if average_loss else -log_p_y.sum()
            delta = probs.copy()
            delta[np.arange(N), y] -= 1.0
            if average_grads:
                delta /= N
            grads = []
            for l in reversed(range(len(params))):
                a_prev, z = cache[l]
                if l < len(params) - 1 or output_activation:
                    delta = delta * act_grad(z, activation)
                grads.append((dW(delta, a_prev), db(delta)))
                delta = delta @ params[l][0]
            return float(loss), grads if backward_order else grads[::-1]

    return mlp_loss_and_grads


MISTAKES = [
    mistake(
        "sum-not-mean",
        "The loss and the gradients are summed over the batch instead of averaged. Cross-entropy is "
        "L = −(1/N) Σₙ log softmax(zₙ)[yₙ], so ∂L/∂z = (softmax(z) − one_hot(y)) / N: divide by the "
        "batch size N (the loss and, through δ, every gradient).",
        mlp_loss_and_grads=_mlp(average_loss=False, average_grads=False),
    ),
    mistake(
        "grads-not-averaged",
        "The loss is averaged over the batch but the gradients are not: ∂L/∂z must be "
        "(softmax(z) − one_hot(y)) / N, since L = −(1/N) Σₙ log pₙ[yₙ]. Your gradients are N times "
        "too large, which no longer matches your own loss.",
        mlp_loss_and_grads=_mlp(average_grads=False),
    ),
    mistake(
        "unstable-softmax",
        "The softmax exponentiates the raw logits: exp(z) overflows to inf above z ≈ 709 and inf/inf "
        "gives NaN. Subtract each row's maximum first — softmax(z) = softmax(z − max z) — and take the "
        "log-probabilities as (z − max) − log Σ exp(z − max).",
        mlp_loss_and_grads=_mlp(softmax=_unstable),
    ),
    mistake(
        "log-of-softmax",
        "The loss takes log(softmax(z)): the softmax is stable, but a probability below ~1e-308 "
        "underflows to 0 and log(0) = −inf, so the loss is infinite. Compute log-probabilities directly: "
        "log pᵢ = (zᵢ − max z) − log Σⱼ exp(zⱼ − max z).",
        mlp_loss_and_grads=_mlp(softmax=_log_of_softmax),
    ),
    mistake(
        "tanh-derivative",
        "The tanh derivative is taken as 1 − tanh(z); it is tanh'(z) = 1 − tanh²(z) (the guide's "
        "formula), the square of the activation.",
        mlp_loss_and_grads=_mlp(act_grad=_only_for("tanh", lambda z: 1.0 - np.tanh(z))),
    ),
    mistake(
        "sigmoid-derivative-of-z",
        "The sigmoid derivative is computed as z(1 − z), from the pre-activation z. The formula "
        "σ'(z) = σ(z)(1 − σ(z)) is written in terms of the activation a = σ(z): use a(1 − a), not z(1 − z).",
        mlp_loss_and_grads=_mlp(act_grad=_only_for("sigmoid", lambda z: z * (1.0 - z))),
    ),
    mistake(
        "missing-activation-grad",
        "The backward pass through a hidden layer skips the activation's derivative. The guide's "
        "δˡ = (Wˡ⁺¹)ᵀδˡ⁺¹ ⊙ g'(zˡ) multiplies elementwise by g'(zˡ) before using δˡ for ∂L/∂Wˡ and ∂L/∂bˡ.",
        mlp_loss_and_grads=_mlp(act_grad=lambda z, activation: np.ones_like(z)),
    ),
    mistake(
        "activation-on-output-layer",
        "The activation is applied to the output layer too. The last layer is linear: its outputs are "
        "the logits fed to the softmax (a ReLU there would clip negative logits to 0, a sigmoid squash "
        "them into (0, 1)).",
        mlp_loss_and_grads=_mlp(output_activation=True),
    ),
    mistake(
        "missing-transpose",
        "dW is returned transposed, shape (n_in, n_out). With PyTorch's layout W is (n_out, n_in) and "
        "z = a Wᵀ + b, so ∂L/∂W = δᵀ a (the guide's δˡ(aˡ⁻¹)ᵀ for one sample): (n_out, N) @ (N, n_in).",
        mlp_loss_and_grads=_mlp(dW=lambda delta, a_prev: a_prev.T @ delta),
    ),
    mistake(
        "db-not-summed",
        "db is δ itself, shape (N, n_out). The guide's ∂L/∂b = δ is for one sample; over a batch the bias "
        "gets every sample's contribution: db = δ.sum(axis=0), shape (n_out,).",
        mlp_loss_and_grads=_mlp(db=lambda delta: delta),
    ),
    mistake(
        "grads-reversed",
        "The gradients come back in backward order (last layer first). Backpropagation visits the layers "
        "from the output down; reverse the list so grads[l] matches params[l].",
        mlp_loss_and_grads=_mlp(backward_order=True),
    ),
]
