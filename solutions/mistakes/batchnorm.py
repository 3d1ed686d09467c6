"""Mistakes interviewers see in batch normalisation, forward and backward."""

import numpy as np

from dlprep.grading.spec import mistake


def _forward(
    *,
    running_unbiased=True,
    normalise_unbiased=False,
    new_weight=lambda momentum: momentum,
    eval_batch_stats=False,
    update_in_eval=False,
    std=lambda var, eps: np.sqrt(var + eps),
    variance=lambda x, mu: ((x - mu) ** 2).mean(axis=0),
    in_place=True,
):
    """batchnorm_forward with one thing done wrong; the cache is the reference's, so the
    reference backward is what a learner with this forward would write."""

    def batchnorm_forward(x, gamma, beta, running_mean, running_var, training=True, momentum=0.1, eps=1e-5):
        with np.errstate(all="ignore"):  # N = 1 in eval: N/(N − 1) is inf for the variants that update there
            N = x.shape[0]
            batch_stats = training or eval_batch_stats or update_in_eval
            if batch_stats:
                mu = x.mean(axis=0)
                var = variance(x, mu)
                unbiased = var * (N / (N - 1)) if N > 1 else np.full_like(var, np.inf)
            if training or update_in_eval:
                m = new_weight(momentum)
                new_mean = (1 - m) * running_mean + m * mu
                new_var = (1 - m) * running_var + m * (unbiased if running_unbiased else var)
                if in_place:
                    running_mean[...] = new_mean
                    running_var[...] = new_var
                else:
                    running_mean, running_var = new_mean, new_var  # rebinds the names only
                if normalise_unbiased:
                    var = unbiased
            if not batch_stats:
                mu, var = running_mean, running_var
            inv_std = 1.0 / std(var, eps)
            x_hat = (x - mu) * inv_std
            return gamma * x_hat + beta, (x_hat, inv_std, gamma, batch_stats)

    return batchnorm_forward


def _backward_without_mean_path(dout, cache):
    x_hat, inv_std, gamma, training = cache
    return dout * gamma * inv_std, (dout * x_hat).sum(axis=0), dout.sum(axis=0)


MISTAKES = [
    mistake(
        "biased-running-var",
        "The running variance is updated with the biased batch variance σ² = (1/N) Σ(xᵢ − μ)². "
        "nn.BatchNorm1d normalises with that σ² but keeps the unbiased N/(N − 1)·σ² in running_var "
        "(the guide gives only the training formula): running_var = (1 − momentum)·running_var + "
        "momentum·N/(N − 1)·σ².",
        batchnorm_forward=_forward(running_unbiased=False),
    ),
    mistake(
        "unbiased-normalisation",
        "x̂ is normalised with the unbiased variance N/(N − 1)·σ². The guide's σ² = (1/m) Σ(xᵢ − μ)² "
        "divides by the batch size: normalise with that (biased) σ², and use the unbiased one only "
        "for the running estimate.",
        batchnorm_forward=_forward(normalise_unbiased=True),
    ),
    mistake(
        "momentum-inverted",
        "The running statistics keep momentum of the old value: running = momentum·running + "
        "(1 − momentum)·batch. PyTorch's momentum is the weight of the *new* batch: running = "
        "(1 − momentum)·running + momentum·batch, so with momentum = 0.1 the estimate moves 10% "
        "of the way (Keras' momentum = 0.99 is the opposite convention).",
        batchnorm_forward=_forward(new_weight=lambda momentum: 1 - momentum),
    ),
    mistake(
        "eval-uses-batch-stats",
        "In eval (training=False) x is normalised with the batch's own mean and variance. At test "
        "time the batch may be a single sample and outputs must not depend on the other samples: "
        "use x̂ = (x − running_mean)/√(running_var + ε), leaving the running statistics unchanged.",
        batchnorm_forward=_forward(eval_batch_stats=True),
    ),
    mistake(
        "ignores-training-flag",
        "training=False is ignored: eval normalises with the batch statistics and updates the "
        "running statistics as in training. In eval use x̂ = (x − running_mean)/√(running_var + ε) "
        "and do not touch running_mean or running_var.",
        batchnorm_forward=_forward(update_in_eval=True),
    ),
    mistake(
        "running-stats-not-in-place",
        "`running_mean = (1 − momentum)·running_mean + momentum·μ` rebinds a local name: the "
        "caller's arrays, which are the layer's state, never change. Update them in place: "
        "`running_mean *= 1 − momentum; running_mean += momentum·μ` (or `running_mean[...] = ...`).",
        batchnorm_forward=_forward(in_place=False),
    ),
    mistake(
        "eps-outside-sqrt",
        "ε is added outside the square root, x̂ = (x − μ)/(√σ² + ε). The guide's x̂ = (x − μ)/√(σ² + ε) "
        "puts it inside: for a feature whose variance is near or below ε (a constant feature) the "
        "two differ by orders of magnitude.",
        batchnorm_forward=_forward(std=lambda var, eps: np.sqrt(var) + eps),
    ),
    mistake(
        "variance-from-squares",
        "The variance is computed as mean(x²) − mean(x)². When the mean is large against the spread "
        "(features near 1e6 with spread 1) the two terms are ~1e12 and their difference loses most "
        "of its digits (in float32 already for means near 1e2). Use σ² = mean((x − μ)²).",
        batchnorm_forward=_forward(variance=lambda x, mu: (x**2).mean(axis=0) - mu**2),
    ),
    mistake(
        "backward-ignores-mean-path",
        "In training dx keeps only the direct path, ∂L/∂x̂ / √(σ² + ε). μ and σ² are functions of "
        "every xᵢ, so dx also gets ∂L/∂μ·∂μ/∂xᵢ and ∂L/∂σ²·∂σ²/∂xᵢ: dx = (1/σ)(∂L/∂x̂ − mean(∂L/∂x̂) "
        "− x̂·mean(∂L/∂x̂ ⊙ x̂)). Only in eval, where μ and σ² are the running constants, is the "
        "direct path all there is.",
        batchnorm_backward=_backward_without_mean_path,
    ),
]
