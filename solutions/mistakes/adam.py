"""Mistakes interviewers see in Adam and AdamW.

`_optimizers(...)` builds an (Adam, AdamW) pair with one thing changed. Mistakes in Adam's
own update (moments, bias correction, ε, the step count) replace both classes, since AdamW
is Adam plus a decay; mistakes in the weight decay replace only the class they concern, and
`not-in-place` takes every form a learner's AdamW gives it: written apart and right, or
inheriting the rebinding Adam step, with its decay in place or not.
"""

import torch

from dlprep.grading.spec import mistake


def _ema(m, g, beta):
    return m.mul_(beta).add_(g, alpha=1 - beta)


def _l2(opt, p, g):
    return g + opt.weight_decay * p


def _decoupled(opt, p, g):
    p.mul_(1 - opt.lr * opt.weight_decay)
    return g


def _decoupled_without_lr(opt, p, g):
    p.mul_(1 - opt.weight_decay)
    return g


def _no_decay(opt, p, g):
    return g


def _optimizers(
    *,
    first_moment=_ema,
    second_moment=lambda v, g, beta: _ema(v, g * g, beta),
    corrected="mv",
    t_offset=0,
    shared_t=False,
    denominator=lambda v_hat, eps, bias_correction2: v_hat.sqrt() + eps,
    adam_decay=_l2,
    adamw_decay=_decoupled,
    rebound=None,
    none_as_zero=False,
):
    """An (Adam, AdamW) pair with one thing changed.

    corrected: the moments divided by 1-βᵗ. rebound: where `p = p - ...` makes `p` a copy, so that
    what follows never reaches the parameter: "before-decay" or "after-decay" (None: in place).
    none_as_zero: a None gradient is taken as zeros instead of skipping the parameter.
    """

    class Adam:
        decay = adam_decay

        def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0):
            self.params = list(params)
            self.lr, self.betas, self.eps, self.weight_decay = lr, betas, eps, weight_decay
            self.state = [{"t": 0, "m": torch.zeros_like(p), "v": torch.zeros_like(p)} for p in self.params]
            self.t = 0

        @torch.no_grad()
        def step(self):
            beta1, beta2 = self.betas
            self.t += 1
            for p, state in zip(self.params, self.state):
                if p.grad is None and not none_as_zero:
                    continue
                g = torch.zeros_like(p) if p.grad is None else p.grad
                if rebound == "before-decay":
                    p = p.detach().clone()  # `p = p - ...` rebinds a name: the parameter never moves
                g = self.decay(p, g)
                if rebound == "after-decay":
                    p = p.detach().clone()
                state["t"] += 1
                t = (self.t if shared_t else state["t"]) + t_offset
                m, v = first_moment(state["m"], g, beta1), second_moment(state["v"], g, beta2)
                bias_correction1, bias_correction2 = 1 - beta1**t, 1 - beta2**t
                m_hat = m / bias_correction1 if "m" in corrected else m
                v_hat = v / bias_correction2 if "v" in corrected else v
                p.sub_(self.lr * m_hat / denominator(v_hat, self.eps, bias_correction2))

        def zero_grad(self):
            for p in self.params:
                p.grad = None

    class AdamW(Adam):
        decay = adamw_decay

        def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2):
            super().__init__(params, lr, betas, eps, weight_decay)

    return {"Adam": Adam, "AdamW": AdamW}


MISTAKES = [
    mistake(
        "no-bias-correction",
        "m or v (or both) is used without its bias correction. Both start at 0, so early on they are "
        "biased towards 0 (after one step m = (1-β₁)g, v = (1-β₂)g²); the guide divides them by "
        "1-β₁ᵗ and 1-β₂ᵗ: m̂ = m/(1-β₁ᵗ), v̂ = v/(1-β₂ᵗ), and the update uses m̂ and v̂.",
        variants=[_optimizers(corrected="v"), _optimizers(corrected="m")],
        **_optimizers(corrected=""),
    ),
    mistake(
        "eps-inside-sqrt",
        "ε is added inside the square root, √(v̂ + ε) or √(v + ε)/√(1-β₂ᵗ). The guide's Adam (and "
        "PyTorch) add it outside: θ = θ - ηm̂/(√v̂ + ε). The two agree for ordinary gradients, but when "
        "gradients are tiny (1e-7) √ε = 1e-4 swamps √v̂ and the step all but vanishes.",
        variants=[_optimizers(denominator=lambda v_hat, eps, bias_correction2: (v_hat + eps / bias_correction2).sqrt())],
        **_optimizers(denominator=lambda v_hat, eps, bias_correction2: (v_hat + eps).sqrt()),
    ),
    mistake(
        "no-sqrt",
        "The update divides by v̂ instead of √v̂: θ = θ - ηm̂/(√v̂ + ε). v̂ estimates E[g²], so √v̂ has "
        "the units of g and m̂/√v̂ is about ±1 whatever the gradients' scale; m̂/v̂ is about 1/g, "
        "huge for small gradients and tiny for large ones.",
        **_optimizers(denominator=lambda v_hat, eps, bias_correction2: v_hat + eps),
    ),
    mistake(
        "t-starts-at-zero",
        "The bias correction uses t before it is incremented, so the first step has t = 0 and "
        "divides by 1-β⁰ = 0: the parameters become NaN. t counts the steps taken, including "
        "this one: increment it first, so the first update uses t = 1.",
        **_optimizers(t_offset=-1),
    ),
    mistake(
        "t-off-by-one",
        "The bias correction is one step late: the first update uses t = 2 (t incremented twice, "
        "or started at 1 and incremented before use). With t = 1 the first update is m̂ = g, "
        "v̂ = g², i.e. a step of η·sign(g); using 1-β₁², 1-β₂² under-corrects m and v.",
        **_optimizers(t_offset=1),
    ),
    mistake(
        "global-step-count",
        "One step count t is kept for the whole optimizer, as the textbook writes Adam, so a "
        "parameter skipped at some step (its .grad was None) is bias-corrected as if it had been "
        "updated. torch.optim keeps t per parameter (state[p]['step']) and skips a parameter whose "
        "grad is None entirely: m̂ = m/(1-β₁ᵗ) with that parameter's own t. The two agree until a "
        "parameter misses a step, which happens with frozen layers or unused branches.",
        **_optimizers(shared_t=True),
    ),
    mistake(
        "m-without-one-minus-beta",
        "The first moment is accumulated like momentum, m = β₁m + g, instead of the exponential "
        "average m = β₁m + (1-β₁)g. The bias correction 1/(1-β₁ᵗ) assumes the (1-β₁) weight: "
        "without it m̂ is about 1/(1-β₁) = 10 times too large.",
        **_optimizers(first_moment=lambda m, g, beta: m.mul_(beta).add_(g)),
    ),
    mistake(
        "v-without-square",
        "The second moment averages g instead of g²: v = β₂v + (1-β₂)(∇L)² in the guide. v must "
        "be the (uncentred) variance of the gradient, so it is non-negative and √v̂ has the units "
        "of g; averaging g makes v negative and √v̂ NaN.",
        **_optimizers(second_moment=_ema),
    ),
    mistake(
        "none-grad-as-zero",
        "A parameter whose .grad is None is updated as if its gradient were zero: m and v decay, its t "
        "advances and θ still moves (m̂ is not zero). torch.optim skips it entirely, and so must step(): "
        "`if p.grad is None: continue`, leaving θ, m, v and t as they are. A zero gradient, unlike None, "
        "is a gradient.",
        **_optimizers(none_as_zero=True),
    ),
    mistake(
        "not-in-place",
        "The Adam step never reaches the parameters: it builds a new tensor (`p = p - lr * ...`, or "
        "stores it in a list) instead of changing the parameter itself. The model holds the "
        "original tensors, so step() must update them in place, under torch.no_grad(): "
        "`p.sub_(lr * m̂ / (√v̂ + ε))`, `p.mul_(...)`, or `p.data = ...`.",
        variants=[_optimizers(rebound="before-decay"), _optimizers(rebound="after-decay")],
        Adam=_optimizers(rebound="before-decay")["Adam"],  # an AdamW written apart may be right
    ),
    mistake(
        "decoupled-decay-in-adam",
        "Adam applies weight decay the AdamW way, θ = θ(1 - ηλ). Adam's weight_decay is L2 "
        "regularisation (L + (λ/2)‖θ‖²): λθ is added to the gradient before m and v are updated, "
        "so it is rescaled by the adaptive denominator like the rest of g.",
        Adam=_optimizers(adam_decay=_decoupled)["Adam"],
    ),
    mistake(
        "adam-ignores-weight-decay",
        "Adam ignores weight_decay. Adam's weight decay is L2 regularisation: add λθ to the "
        "gradient (g = ∇L + λθ) before updating m and v.",
        Adam=_optimizers(adam_decay=_no_decay)["Adam"],
    ),
    mistake(
        "coupled-decay-in-adamw",
        "AdamW adds λθ to the gradient, which makes it Adam with L2. AdamW's decay is decoupled: "
        "θ = θ(1 - ηλ) is applied to the parameter directly, and m and v see only the loss "
        "gradient, so the decay is not divided by √v̂.",
        AdamW=_optimizers(adamw_decay=_l2)["AdamW"],
    ),
    mistake(
        "no-lr-on-decay",
        "AdamW shrinks θ by λ instead of ηλ: the decoupled decay is θ = θ - ηλθ (PyTorch: "
        "θ.mul_(1 - lr·weight_decay)). Without η, weight_decay = 0.01 removes 1% of every weight "
        "per step.",
        AdamW=_optimizers(adamw_decay=_decoupled_without_lr)["AdamW"],
    ),
]
