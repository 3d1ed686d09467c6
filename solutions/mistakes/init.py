"""Mistakes interviewers see when initialising weights by hand."""

import numpy as np

from dlprep.grading.spec import mistake


def _xavier_std(n_in, n_out):
    return np.sqrt(2.0 / (n_in + n_out))


def _he_std(n_in, n_out):
    return np.sqrt(2.0 / n_in)


def _init(std, *, swapped=False, uniform=False, global_rng=False):
    """An initialiser drawing N(0, std(n_in, n_out)²), or a uniform of the same variance."""

    def init(n_in, n_out, rng):
        s = std(n_in, n_out)
        shape = (n_in, n_out) if swapped else (n_out, n_in)
        gen = np.random if global_rng else rng
        if uniform:
            a = np.sqrt(3.0) * s  # U(−a, a) has variance a²/3
            return gen.uniform(-a, a, size=shape)
        return gen.normal(0.0, s, size=shape)

    return init


MISTAKES = [
    mistake(
        "variance-as-std",
        "xavier_normal uses 2/(n_in + n_out) as the standard deviation. The guide's W ~ N(0, 2/(n_in + n_out)) "
        "gives the variance σ²; rng.normal(loc, scale) takes the standard deviation, so pass "
        "scale = √(2/(n_in + n_out)).",
        xavier_normal=_init(lambda n_in, n_out: 2.0 / (n_in + n_out)),
    ),
    mistake(
        "he-variance-as-std",
        "he_normal uses 2/n_in as the standard deviation. W ~ N(0, 2/n_in) gives the variance; "
        "rng.normal takes the standard deviation, so pass scale = √(2/n_in).",
        he_normal=_init(lambda n_in, n_out: 2.0 / n_in),
    ),
    mistake(
        "swapped-shape",
        "The weights come back as (n_in, n_out). They follow nn.Linear's layout, (n_out, n_in), so that a "
        "layer computes y = x Wᵀ + b; draw size=(n_out, n_in).",
        xavier_normal=_init(_xavier_std, swapped=True),
        he_normal=_init(_he_std, swapped=True),
    ),
    mistake(
        "he-uses-fan-out",
        "he_normal divides by the fan-out: He initialisation is Var(W) = 2/n_in, the number of *inputs* of "
        "the layer, which keeps the variance of the activations constant in the forward pass "
        "(PyTorch's kaiming_normal_ default, mode='fan_in').",
        he_normal=_init(lambda n_in, n_out: np.sqrt(2.0 / n_out)),
    ),
    mistake(
        "he-missing-factor-2",
        "he_normal draws with variance 1/n_in: that is LeCun's initialisation. He's is 2/n_in; the factor 2 "
        "makes up for ReLU setting half of its inputs to zero, which halves the variance at every layer.",
        he_normal=_init(lambda n_in, n_out: np.sqrt(1.0 / n_in)),
    ),
    mistake(
        "xavier-missing-factor-2",
        "xavier_normal draws with variance 1/(n_in + n_out). Glorot's compromise between the forward "
        "(1/n_in) and backward (1/n_out) conditions is one over the *average* fan, 1/((n_in + n_out)/2) = "
        "2/(n_in + n_out).",
        xavier_normal=_init(lambda n_in, n_out: np.sqrt(1.0 / (n_in + n_out))),
    ),
    mistake(
        "xavier-uniform-not-normal",
        "xavier_normal draws from the uniform U(−√(6/(n_in + n_out)), √(6/(n_in + n_out))): that is "
        "xavier_uniform. The variance is right, but the kata asks for the normal W ~ N(0, 2/(n_in + n_out)): "
        "use rng.normal.",
        xavier_normal=_init(_xavier_std, uniform=True),
    ),
    mistake(
        "ignores-rng",
        "The weights are drawn from NumPy's global generator (np.random.normal, np.random.randn) instead of "
        "the `rng` argument: results are not reproducible from the seed, and other code that shares the "
        "global state changes them. Draw with rng.normal(...).",
        xavier_normal=_init(_xavier_std, global_rng=True),
        he_normal=_init(_he_std, global_rng=True),
    ),
]
