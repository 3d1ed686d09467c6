"""Mistakes interviewers see in SGD (momentum, Nesterov, weight decay), Adagrad and RMSprop.

`_sgd(...)` builds an SGD with one thing changed, `_adagrad(...)` and `_rmsprop(...)` the
adaptive ones: each overrides the reference's `step`. Each mistake replaces only the class it concerns, so that it is recognised
whatever the submission's other classes do (a submission that puts ε inside the square root
in both Adagrad and RMSprop is told both).
"""

import torch

from dlprep.grading.spec import mistake
from dlprep.solutions import optimizers as reference


def _outside(s, eps):
    return s.sqrt() + eps


def _inside(s, eps):
    return (s + eps).sqrt()


def _sgd(*, dampened=False, honour_nesterov=True, stale=False, decay="gradient", skip_none=True, in_place=True):
    """decay: "gradient" (L2, before the buffer, as PyTorch), "update" (after the buffer) or None."""

    class SGD(reference.SGD):
        @torch.no_grad()
        def step(self):
            mu = self.momentum
            for i, p in enumerate(self.params):
                g = p.grad
                if g is None:
                    if skip_none:
                        continue
                    g = torch.zeros_like(p)
                if not in_place:
                    p = p.detach().clone()  # `p = p - ...` rebinds a name: the parameter never moves
                if decay == "gradient":
                    g = g + self.weight_decay * p
                update = g
                if mu != 0:
                    old = self.buffers[i]
                    if dampened:  # an exponential average started at zero
                        new = (1 - mu) * g if old is None else mu * old + (1 - mu) * g
                    else:
                        new = g.clone() if old is None else mu * old + g
                    self.buffers[i] = new
                    if self.nesterov and honour_nesterov:
                        update = g + mu * new
                    else:
                        update = (torch.zeros_like(g) if old is None else old) if stale else new
                if decay == "update":
                    update = update + self.weight_decay * p
                p.sub_(self.lr * update)

    return SGD


def _adagrad(*, denominator=_outside, accumulate=True):
    class Adagrad(reference.Adagrad):
        @torch.no_grad()
        def step(self):
            for p, G in zip(self.params, self.sums):
                if p.grad is None:
                    continue
                g = p.grad
                if not accumulate:
                    G.zero_()  # G = g², this step's only
                G.addcmul_(g, g)
                p.sub_(self.lr * g / denominator(G, self.eps))

    return Adagrad


def _rmsprop(*, denominator=_outside, swapped=False):
    class RMSprop(reference.RMSprop):
        @torch.no_grad()
        def step(self):
            keep = 1 - self.alpha if swapped else self.alpha
            for p, s in zip(self.params, self.square_avgs):
                if p.grad is None:
                    continue
                g = p.grad
                s.mul_(keep).addcmul_(g, g, value=1 - keep)
                p.sub_(self.lr * g / denominator(s, self.eps))

    return RMSprop


MISTAKES = [
    mistake(
        "momentum-dampened",
        "SGD's momentum buffer is an exponential average, v = μv + (1-μ)g, as Adam's m is. The "
        "guide's momentum (and PyTorch's, with its default dampening=0) is a plain decaying sum, "
        "v = μv + ∇L, started at v = g: the (1-μ) factor makes every step 1-μ = 10 times smaller "
        "at μ = 0.9 and changes the effective learning rate.",
        SGD=_sgd(dampened=True),
    ),
    mistake(
        "nesterov-ignored",
        "nesterov=True gives the same steps as plain momentum. Note that the guide's Nesterov, "
        "v = μv + ∇L(θ - μv), cannot be used as written: step() only has the gradient at the "
        "current parameters. PyTorch stores the look-ahead point instead (θ' = θ - ημv), which "
        "turns the same method into v = μv + g, θ' = θ' - η(g + μv): add μ times the updated "
        "buffer to the gradient for the step.",
        SGD=_sgd(honour_nesterov=False),
    ),
    mistake(
        "momentum-step-before-buffer",
        "The step uses the momentum buffer from before this step's gradient (θ = θ - ηv, then "
        "v = μv + g), so the very first step does not move at all and every later step lags one "
        "gradient behind. The guide updates v first, v = μv + ∇L, then θ = θ - ηv with the new v.",
        SGD=_sgd(stale=True),
    ),
    mistake(
        "weight-decay-after-momentum",
        "weight_decay·θ is added to the step after the momentum buffer instead of to the gradient "
        "before it. PyTorch's SGD weight decay is L2 regularisation: g = ∇L + λθ is what enters "
        "v = μv + g, so with momentum the decay accumulates in v like any other gradient term.",
        SGD=_sgd(decay="update"),
    ),
    mistake(
        "weight-decay-ignored",
        "SGD ignores weight_decay. It is L2 regularisation, (λ/2)‖θ‖² added to the loss: add its "
        "gradient λθ to g (g = ∇L + λθ) before the momentum buffer.",
        SGD=_sgd(decay=None),
    ),
    mistake(
        "none-grad-as-zero",
        "A parameter whose .grad is None is treated as if its gradient were zero, so momentum "
        "(v = μv) and weight decay keep moving it. torch.optim skips such a parameter entirely "
        "(it was not used in this forward pass): its θ and its buffer stay as they are. A "
        "zero-filled .grad, on the other hand, is a real gradient.",
        SGD=_sgd(skip_none=False),
    ),
    mistake(
        "not-in-place",
        "The parameters never change: the update builds a new tensor (`p = p - lr * g`, or stores "
        "it in a list) instead of changing the parameter itself. The model holds the original "
        "tensors, so step() must update them in place, under torch.no_grad(): `p.sub_(lr * g)`, "
        "`p.add_(...)`, or `p.data = ...`.",
        SGD=_sgd(in_place=False),  # told by SGD's cases, however the other classes are written
    ),
    mistake(
        "adagrad-eps-inside-sqrt",
        "Adagrad adds ε inside the square root, θ = θ - ηg/√(G + ε), as the guide writes it. "
        "PyTorch adds it outside, ηg/(√G + ε). With ε = 1e-10 the two agree for ordinary "
        "gradients, but for gradients of size 1e-7, √G ≈ 1e-7 while √(G + ε) ≈ 1e-5: the step "
        "shrinks a hundredfold.",
        Adagrad=_adagrad(denominator=_inside),
    ),
    mistake(
        "adagrad-no-accumulation",
        "Adagrad divides by the current gradient's magnitude only (G = g²) instead of the sum of "
        "all squared gradients so far, G = G + (∇L)². Every step then has size about η, like "
        "sign descent; the accumulated G is what makes Adagrad's step size decay for parameters "
        "that have had large gradients.",
        Adagrad=_adagrad(accumulate=False),
    ),
    mistake(
        "rmsprop-eps-inside-sqrt",
        "RMSprop adds ε inside the square root, θ = θ - ηg/√(s + ε), as the guide writes it. "
        "PyTorch adds it outside, ηg/(√s + ε). With ε = 1e-8 the two agree for ordinary "
        "gradients, but for gradients of size 1e-7, √s ≈ 1e-7 while √(s + ε) ≈ 1e-4: the step "
        "shrinks a thousandfold.",
        RMSprop=_rmsprop(denominator=_inside),
    ),
    mistake(
        "rmsprop-alpha-swapped",
        "RMSprop's α weighs the new g² instead of the old average: s = (1-α)s + αg². In the "
        "guide's g² = βg² + (1-β)(∇L)², PyTorch's alpha is β, the decay of the running average "
        "(0.99 by default), so each new squared gradient enters with weight 1-α.",
        RMSprop=_rmsprop(swapped=True),
    ),
]
