"""Mistakes interviewers see in layer normalisation, forward and backward."""

import numpy as np

from dlprep.grading.spec import mistake


def _forward(
    *,
    axis=lambda x: -1,
    ddof=0,
    std=lambda var, eps: np.sqrt(var + eps),
    variance=lambda x, mu, axis, ddof: ((x - mu) ** 2).sum(axis=axis, keepdims=True) / (_count(x, axis) - ddof),
):
    """layernorm_forward with one thing done wrong; the cache is the reference's, so the
    reference backward is what a learner with this forward would write."""

    def layernorm_forward(x, gamma, beta, eps=1e-5):
        with np.errstate(all="ignore"):  # D = 1 with the unbiased variance: 0/0
            over = axis(x)
            mu = x.mean(axis=over, keepdims=True)
            var = variance(x, mu, over, ddof)
            inv_std = 1.0 / std(var, eps)
            x_hat = (x - mu) * inv_std
            return gamma * x_hat + beta, (x_hat, inv_std, gamma, over)

    return layernorm_forward


def _count(x, axis):
    return x.size if axis is None else x.shape[axis]


def _backward(*, mean_terms=True, leading=lambda dout: tuple(range(dout.ndim - 1))):
    """layernorm_backward that reduces over the cache's axis (the forward's), with one thing wrong."""

    def layernorm_backward(dout, cache):
        x_hat, inv_std, gamma, *over = cache
        over = over[0] if over else -1
        dgamma = (dout * x_hat).sum(axis=leading(dout))
        dbeta = dout.sum(axis=leading(dout))
        dx_hat = dout * gamma
        if not mean_terms:
            return dx_hat * inv_std, dgamma, dbeta
        dx = inv_std * (
            dx_hat - dx_hat.mean(axis=over, keepdims=True) - x_hat * (dx_hat * x_hat).mean(axis=over, keepdims=True)
        )
        return dx, dgamma, dbeta

    return layernorm_backward


MISTAKES = [
    mistake(
        "normalise-over-batch",
        "μ and σ² are taken over the batch (axis 0), as batch normalisation does. Layer normalisation "
        "normalises each row over its own features, the last axis: μ = mean(x, axis=-1, keepdims=True), "
        "so a batch of one works and rows do not depend on each other.",
        layernorm_forward=_forward(axis=lambda x: 0),
        layernorm_backward=_backward(),
    ),
    mistake(
        "stats-over-whole-tensor",
        "μ and σ² are taken over the whole array (x.mean() with no axis): every row then shares one "
        "mean and one variance. Layer normalisation gives each row its own, over the last axis: "
        "x.mean(axis=-1, keepdims=True).",
        layernorm_forward=_forward(axis=lambda x: None),
        layernorm_backward=_backward(),
    ),
    mistake(
        "unbiased-variance",
        "σ² is the unbiased variance, Σ(xᵢ − μ)²/(D − 1) (torch.var's default, np.var(ddof=1)). "
        "Layer normalisation, like F.layer_norm, divides by D: σ² = (1/D) Σᵢ (xᵢ − μ)².",
        layernorm_forward=_forward(ddof=1),
        layernorm_backward=_backward(),
    ),
    mistake(
        "eps-outside-sqrt",
        "ε is added outside the square root, x̂ = (x − μ)/(√σ² + ε). The formula is x̂ = (x − μ)/√(σ² + ε): "
        "for a row whose variance is near or below ε (a padding token of zeros, a constant row) the "
        "two differ by orders of magnitude.",
        layernorm_forward=_forward(std=lambda var, eps: np.sqrt(var) + eps),
        layernorm_backward=_backward(),
    ),
    mistake(
        "variance-from-squares",
        "σ² is computed as mean(x²) − mean(x)². When a row's mean is large against its spread (values "
        "near 1e6 with spread 1) the two terms are ~1e12 and their difference loses most of its digits "
        "(in float32 already for means near 1e2). Use σ² = mean((x − μ)²).",
        layernorm_forward=_forward(
            variance=lambda x, mu, axis, ddof: (x**2).mean(axis=axis, keepdims=True) - mu**2
        ),
        layernorm_backward=_backward(),
    ),
    mistake(
        "dx-missing-mean-terms",
        "dx keeps only the direct path, ∂L/∂x̂ / √(σ² + ε). A row's μ and σ² depend on all its features, "
        "so dx also gets the paths through them: dx = (1/σ)(∂L/∂x̂ − mean(∂L/∂x̂) − x̂·mean(∂L/∂x̂ ⊙ x̂)), "
        "means over the last axis.",
        layernorm_backward=_backward(mean_terms=False),
    ),
    mistake(
        "dgamma-not-summed",
        "dgamma and dbeta are summed over axis 0 only, which is enough for x (N, D) but leaves (T, D) "
        "for x (B, T, D). γ and β are shared by every position, so their gradients sum over every "
        "leading axis: dgamma = (dout ⊙ x̂).sum(axis=tuple(range(dout.ndim − 1))), shape (D,).",
        layernorm_backward=_backward(leading=lambda dout: 0),
    ),
]
