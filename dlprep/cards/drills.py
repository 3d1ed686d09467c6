"""Numeric questions generated from the guide's formulas, which the tool grades itself.

Each topic draws random parameters and returns the question, the exact answer and a
worked solution. Answers may be typed as arithmetic (`0.25**4`, `sqrt(2/300)`, `2^10`),
so a learner can show the formula instead of reaching for a calculator.
"""

from __future__ import annotations

import ast
import math
import operator
import random
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from typing import Callable



@dataclass(frozen=True)
class Drill:
    topic: str
    question: str
    answer: float
    solution: str
    # Counts (sizes, parameters) must be exact; real-valued answers get RELATIVE_TOLERANCE.
    exact: bool = False


@dataclass(frozen=True)
class Topic:
    name: str
    section: str  # of the guide, where the formula is
    make: Callable[[random.Random], Drill]


RELATIVE_TOLERANCE = 0.01
TOPICS: dict[str, Topic] = {}


def _topic(name: str, section: str):
    def register(make: Callable[[random.Random], Drill]) -> Callable[[random.Random], Drill]:
        TOPICS[name] = Topic(name, section, make)
        return make

    return register


def format_number(value: float) -> str:
    """Numbers in questions and solutions: integers as integers, others to 6 significant digits."""
    return str(int(value)) if float(value).is_integer() else f"{value:.6g}"


@_topic("conv-output", "3.2")
def _conv_output(rng: random.Random) -> Drill:
    kernel = rng.choice([1, 3, 5, 7])
    stride = rng.choice([1, 1, 2, 2, 4])
    padding = rng.choice([0, kernel // 2, 1])
    size = rng.choice([28, 32, 56, 64, 100, 128, 224, 227])
    out = (size + 2 * padding - kernel) // stride + 1
    return Drill(
        "conv-output",
        f"A {kernel}×{kernel} convolution with stride {stride} and padding {padding} is applied "
        f"to a {size}×{size} input. What is the output's height?",
        out,
        f"out = ⌊(in + 2×padding − kernel) / stride⌋ + 1 = ⌊({size} + 2×{padding} − {kernel}) / {stride}⌋ + 1"
        f" = ⌊{size + 2 * padding - kernel}/{stride}⌋ + 1 = {out}",
        exact=True,
    )


@_topic("conv-params", "3.2")
def _conv_params(rng: random.Random) -> Drill:
    kernel = rng.choice([1, 3, 5, 7])
    c_in = rng.choice([1, 3, 16, 32, 64, 128])
    c_out = rng.choice([8, 16, 32, 64, 128, 256])
    params = kernel * kernel * c_in * c_out + c_out
    return Drill(
        "conv-params",
        f"How many learnable parameters has a {kernel}×{kernel} convolution from {c_in} to {c_out} "
        "channels, with bias?",
        params,
        f"kernel_size² × in_channels × out_channels + out_channels (one bias per filter)"
        f" = {kernel}² × {c_in} × {c_out} + {c_out} = {params}",
        exact=True,
    )


@_topic("pool-output", "3.2")
def _pool_output(rng: random.Random) -> Drill:
    kernel = rng.choice([2, 3])
    stride = rng.choice([kernel, 2, 1])
    size = rng.choice([7, 14, 28, 32, 55, 56, 112])
    out = (size - kernel) // stride + 1
    return Drill(
        "pool-output",
        f"Max pooling with a {kernel}×{kernel} window and stride {stride}, no padding, on a "
        f"{size}×{size} feature map: what is the output's width?",
        out,
        f"Pooling has no parameters but the same size rule as a convolution: "
        f"⌊(in − kernel) / stride⌋ + 1 = ⌊({size} − {kernel}) / {stride}⌋ + 1 = {out}",
        exact=True,
    )


@_topic("sigmoid-bound", "3.1")
def _sigmoid_bound(rng: random.Random) -> Drill:
    layers = rng.randint(2, 12)
    bound = 0.25**layers
    return Drill(
        "sigmoid-bound",
        f"σ'(z) ≤ 0.25. Ignoring the weights, at most what factor do the sigmoid derivatives of "
        f"{layers} stacked sigmoid layers multiply the gradient by?",
        bound,
        f"σ'(z) = σ(z)(1 − σ(z)) peaks at z = 0 with 0.5 × 0.5 = 0.25, and backprop multiplies one "
        f"such factor per layer: 0.25^{layers} = {bound:.4g}",
    )


@_topic("dropout-scale", "3.1")
def _dropout_scale(rng: random.Random) -> Drill:
    p = rng.choice([0.1, 0.2, 0.25, 0.3, 0.4, 0.5, 0.6, 0.8])
    scale = 1 / (1 - p)
    return Drill(
        "dropout-scale",
        f"Inverted dropout with drop probability p = {p}: by what factor are the kept activations "
        "scaled during training?",
        scale,
        f"Kept units are divided by the keep probability so the expected activation is unchanged "
        f"and inference needs no rescaling: 1/(1 − p) = 1/{format_number(1 - p)} = {scale:.6g}",
    )


@_topic("xavier-std", "3.1")
def _xavier_std(rng: random.Random) -> Drill:
    n_in = rng.choice([64, 100, 128, 256, 300, 512, 784])
    n_out = rng.choice([10, 32, 64, 100, 128, 256])
    std = math.sqrt(2 / (n_in + n_out))
    return Drill(
        "xavier-std",
        f"Xavier (Glorot) normal initialisation of a layer with n_in = {n_in}, n_out = {n_out}: "
        "what is the standard deviation of the weights?",
        std,
        f"W ~ N(0, 2/(n_in + n_out)): std = √(2/({n_in} + {n_out})) = √(2/{n_in + n_out}) = {std:.6g}",
    )


@_topic("he-std", "3.1")
def _he_std(rng: random.Random) -> Drill:
    n_in = rng.choice([32, 50, 64, 128, 200, 256, 512, 1024])
    std = math.sqrt(2 / n_in)
    return Drill(
        "he-std",
        f"He (Kaiming) normal initialisation for a ReLU layer with n_in = {n_in}: what is the "
        "standard deviation of the weights?",
        std,
        f"W ~ N(0, 2/n_in): std = √(2/{n_in}) = {std:.6g}",
    )


@_topic("adam-mhat", "3.5")
def _adam_mhat(rng: random.Random) -> Drill:
    beta1 = rng.choice([0.9, 0.8, 0.5])
    grads = [rng.choice([-2, -1, -0.5, 0.5, 1, 2, 3, 4]) for _ in range(rng.randint(2, 3))]
    m, steps = 0.0, []
    for t, g in enumerate(grads, start=1):
        previous, m = m, beta1 * m + (1 - beta1) * g
        shown = format_number(g) if g >= 0 else f"({format_number(g)})"
        steps.append(f"m{t} = {beta1}×{previous:.6g} + {format_number(1 - beta1)}×{shown} = {m:.6g}")
    t = len(grads)
    m_hat = m / (1 - beta1**t)
    return Drill(
        "adam-mhat",
        f"Adam with β₁ = {beta1}, m₀ = 0, receives the gradients {', '.join(format_number(g) for g in grads)} "
        f"for one parameter. What is the bias-corrected m̂ after step {t}?",
        m_hat,
        "m = β₁m + (1 − β₁)g:\n"
        + "\n".join(steps)
        + f"\nm̂ = m/(1 − β₁ᵗ) = {m:.6g}/(1 − {beta1}^{t}) = {m:.6g}/{1 - beta1**t:.6g} = {m_hat:.6g}",
    )


@_topic("attention-size", "3.4")
def _attention_size(rng: random.Random) -> Drill:
    batch = rng.choice([1, 2, 8, 16, 32])
    heads = rng.choice([1, 4, 8, 12, 16])
    length = rng.choice([128, 256, 512, 1024, 2048])
    entries = batch * heads * length * length
    return Drill(
        "attention-size",
        f"Self-attention over sequences of length {length}, batch {batch}, {heads} heads: how many "
        "entries do the attention weight matrices hold in total?",
        entries,
        f"QKᵀ is n×n per sequence and head: batch × heads × n² = {batch} × {heads} × {length}² "
        f"= {entries} (the O(n²) of self-attention)",
        exact=True,
    )


@_topic("mha-params", "3.4")
def _mha_params(rng: random.Random) -> Drill:
    d_model = rng.choice([64, 128, 256, 512, 768, 1024])
    heads = rng.choice([h for h in (2, 4, 8, 12, 16) if d_model % h == 0])
    params = 4 * d_model * d_model + 4 * d_model
    return Drill(
        "mha-params",
        f"A multi-head attention layer with d_model = {d_model} and {heads} heads has W_Q, W_K, W_V "
        "and the output projection Wᴼ, each with bias. How many parameters does it have?",
        params,
        f"Each head uses d_model/h columns of the shared projections, so the head count does not "
        f"change the total: 4 × (d_model² + d_model) = 4 × ({d_model}² + {d_model}) = {params}",
        exact=True,
    )


@_topic("lstm-params", "3.3")
def _lstm_params(rng: random.Random) -> Drill:
    inputs = rng.choice([16, 32, 50, 100, 128, 300])
    hidden = rng.choice([32, 64, 128, 256, 512])
    params = 4 * (hidden * inputs + hidden * hidden + 2 * hidden)
    return Drill(
        "lstm-params",
        f"How many parameters has a single-layer nn.LSTM with input size {inputs} and hidden size "
        f"{hidden} (PyTorch keeps two bias vectors, b_ih and b_hh)?",
        params,
        f"4 gates (i, f, g, o), each with W_ih (H×I), W_hh (H×H) and two biases (2H): "
        f"4 × (H·I + H·H + 2H) = 4 × ({hidden}×{inputs} + {hidden}×{hidden} + 2×{hidden}) = {params}. "
        f"(With the guide's single bias per gate it would be 4 × (H·I + H·H + H) = "
        f"{4 * (hidden * inputs + hidden * hidden + hidden)}.)",
        exact=True,
    )


@_topic("cosine-lr", "3.5")
def _cosine_lr(rng: random.Random) -> Drill:
    total = rng.choice([100, 200, 1000, 5000, 10000])
    t = rng.randrange(0, total + 1, total // 20)
    lr_max = rng.choice([1e-3, 3e-4, 0.1, 0.01])
    lr_min = rng.choice([0.0, lr_max / 100])
    lr = lr_min + (lr_max - lr_min) * (1 + math.cos(math.pi * t / total)) / 2
    return Drill(
        "cosine-lr",
        f"Cosine annealing from η_max = {format_number(lr_max)} to η_min = {format_number(lr_min)} over T = {total} steps: "
        f"what is the learning rate at step t = {t}?",
        lr,
        f"η = η_min + (η_max − η_min) × (1 + cos(πt/T))/2 = {format_number(lr_min)} + {format_number(lr_max - lr_min)} × "
        f"(1 + cos(π×{t}/{total}))/2 = {lr:.6g}",
    )


@_topic("warmup-lr", "3.5")
def _warmup_lr(rng: random.Random) -> Drill:
    warmup = rng.choice([100, 500, 1000, 2000, 4000])
    t = rng.randrange(1, warmup)
    lr_max = rng.choice([1e-3, 5e-4, 3e-4, 0.1])
    lr = lr_max * t / warmup
    return Drill(
        "warmup-lr",
        f"Linear warmup to η_max = {format_number(lr_max)} over {warmup} steps: what is the learning rate at "
        f"step t = {t}?",
        lr,
        f"For t < warmup_steps, η = η_max × t/warmup_steps = {format_number(lr_max)} × {t}/{warmup} = {lr:.6g}",
    )


def matching(patterns: list[str]) -> list[Topic]:
    """Topics whose name starts with any pattern (`conv` picks both conv topics); all when none.

    Raises ValueError naming the topics when a pattern matches none.
    """
    if not patterns:
        return list(TOPICS.values())
    chosen = []
    for pattern in patterns:
        found = [topic for name, topic in TOPICS.items() if name.startswith(pattern.lower())]
        if not found:
            raise ValueError(f"no drill topic {pattern!r}; topics: {', '.join(TOPICS)}")
        chosen += [topic for topic in found if topic not in chosen]
    return chosen


_OPERATORS = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.Pow: operator.pow,
    ast.USub: operator.neg,
    ast.UAdd: operator.pos,
}
_NAMES = {"pi": math.pi, "e": math.e}
_FUNCTIONS = {"sqrt": math.sqrt, "cos": math.cos, "sin": math.sin, "exp": math.exp, "log": math.log}


def evaluate(text: str) -> float:
    """The value of a typed answer: a number or plain arithmetic. Raises ValueError otherwise."""
    source = text.strip().replace("^", "**").replace("×", "*").replace("√", "sqrt").replace(",", "")
    try:
        return _evaluate(ast.parse(source, mode="eval").body)
    except (SyntaxError, TypeError, ZeroDivisionError, OverflowError, RecursionError) as exc:
        raise ValueError(f"cannot read {text.strip()!r} as a number") from exc


def _evaluate(node: ast.AST) -> float:
    # Floats throughout: 9**9**9 overflows at once instead of growing a huge integer.
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)):
        return float(node.value)
    if isinstance(node, ast.Name) and node.id in _NAMES:
        return _NAMES[node.id]
    if isinstance(node, ast.UnaryOp) and type(node.op) in _OPERATORS:
        return _OPERATORS[type(node.op)](_evaluate(node.operand))
    if isinstance(node, ast.BinOp) and type(node.op) in _OPERATORS:
        return _OPERATORS[type(node.op)](_evaluate(node.left), _evaluate(node.right))
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in _FUNCTIONS
        and len(node.args) == 1
        and not node.keywords
    ):
        try:
            return _FUNCTIONS[node.func.id](_evaluate(node.args[0]))
        except ValueError as exc:
            raise TypeError(str(exc)) from exc
    raise TypeError("not arithmetic")


def is_correct(drill: Drill, value: float) -> bool:
    if drill.exact:
        return value == drill.answer
    return math.isclose(value, drill.answer, rel_tol=RELATIVE_TOLERANCE, abs_tol=1e-12)


def record(
    conn: sqlite3.Connection, drill: Drill, given: str, correct: bool, now: datetime
) -> None:
    with conn:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute(
            "INSERT INTO drill_results (topic, question, expected, given, correct, answered_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (drill.topic, drill.question, drill.answer, given, int(correct), now.isoformat()),
        )

