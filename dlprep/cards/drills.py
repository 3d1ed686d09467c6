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


@_topic("spp-length", "3.2")
def _spp_length(rng: random.Random) -> Drill:
    levels = rng.choice([(1, 2, 4), (4, 2, 1), (6, 3, 2, 1), (1, 2, 3, 6), (1, 2, 4, 8), (3, 2, 1)])
    channels = rng.choice([64, 128, 256, 512])
    height, width = rng.choice([7, 13, 14, 20, 40]), rng.choice([7, 13, 14, 30, 60])
    bins = sum(level * level for level in levels)
    length = channels * bins
    return Drill(
        "spp-length",
        f"Spatial pyramid pooling with levels ({', '.join(map(str, levels))}) is applied to a feature map "
        f"of {channels} channels and {height}×{width}. How long is the output vector of each image?",
        length,
        f"Level l pools each channel into l×l bins whatever the map's size, so the {height}×{width} does not "
        f"matter: C × Σ l² = {channels} × ({' + '.join(f'{level}²' for level in levels)}) = {channels} × {bins} "
        f"= {length}",
        exact=True,
    )


# torchvision's GoogLeNet: Inception(in_channels, ch1x1, ch3x3red, ch3x3, ch5x5red, ch5x5, pool_proj)
GOOGLENET_INCEPTIONS = {
    "inception3a": (192, 64, 96, 128, 16, 32, 32),
    "inception3b": (256, 128, 128, 192, 32, 96, 64),
    "inception4a": (480, 192, 96, 208, 16, 48, 64),
    "inception4b": (512, 160, 112, 224, 24, 64, 64),
    "inception4c": (512, 128, 128, 256, 24, 64, 64),
    "inception4d": (512, 112, 144, 288, 32, 64, 64),
    "inception4e": (528, 256, 160, 320, 32, 128, 128),
    "inception5a": (832, 256, 160, 320, 32, 128, 128),
    "inception5b": (832, 384, 192, 384, 48, 128, 128),
}


@_topic("inception-params", "3.2")
def _inception_params(rng: random.Random) -> Drill:
    name = rng.choice(list(GOOGLENET_INCEPTIONS))
    c_in, ch1x1, ch3x3red, ch3x3, ch5x5red, ch5x5, pool_proj = GOOGLENET_INCEPTIONS[name]
    reads_input = ch1x1 + ch3x3red + ch5x5red + pool_proj  # the four 1×1 convs
    one_by_one = c_in * reads_input
    # torchvision's "5×5" branch has a 3×3 kernel, like the 3×3 branch.
    three_by_three = 9 * (ch3x3red * ch3x3 + ch5x5red * ch5x5)
    norms = 2 * (reads_input + ch3x3 + ch5x5)  # γ and β of a BatchNorm after every conv
    params = one_by_one + three_by_three + norms
    return Drill(
        "inception-params",
        f"GoogLeNet's {name} is torchvision's Inception(in_channels={c_in}, ch1x1={ch1x1}, ch3x3red={ch3x3red}, "
        f"ch3x3={ch3x3}, ch5x5red={ch5x5red}, ch5x5={ch5x5}, pool_proj={pool_proj}): every conv has no bias and is "
        "followed by a BatchNorm, and the branch named 5×5 has a 3×3 kernel. How many learnable parameters has it?",
        params,
        f"The four 1×1 convs read the input: C_in × (ch1x1 + ch3x3red + ch5x5red + pool_proj) = "
        f"{c_in} × ({ch1x1} + {ch3x3red} + {ch5x5red} + {pool_proj}) = {one_by_one}.\n"
        f"The two 3×3 convs: 9 × (ch3x3red × ch3x3 + ch5x5red × ch5x5) = 9 × ({ch3x3red}×{ch3x3} + "
        f"{ch5x5red}×{ch5x5}) = {three_by_three}.\n"
        f"A BatchNorm's γ and β for every conv output channel: 2 × ({reads_input} + {ch3x3} + {ch5x5}) = {norms} "
        "(running statistics are buffers, not parameters).\n"
        f"Total: {one_by_one} + {three_by_three} + {norms} = {params}",
        exact=True,
    )


@_topic("reduction-savings", "3.2")
def _reduction_savings(rng: random.Random) -> Drill:
    kernel = rng.choice([3, 5, 7])
    c_in = rng.choice([192, 256, 480, 512, 832])
    c_out = rng.choice([32, 48, 64, 128, 208, 256])
    reduced = rng.choice([16, 24, 32, 48, 64, 96])
    direct = kernel * kernel * c_in * c_out
    weights = c_in * reduced + kernel * kernel * reduced * c_out
    return Drill(
        "reduction-savings",
        f"A {kernel}×{kernel} convolution maps {c_in} channels to {c_out}. How many weights does it need, biases "
        f"ignored, when a 1×1 convolution first reduces the {c_in} channels to {reduced}?",
        weights,
        f"1×1 reduction, then the {kernel}×{kernel} conv: C_in·r + k²·r·C_out = {c_in}×{reduced} + "
        f"{kernel}²×{reduced}×{c_out} = {c_in * reduced} + {kernel * kernel * reduced * c_out} = {weights}, against "
        f"k²·C_in·C_out = {kernel}²×{c_in}×{c_out} = {direct} directly: {direct / weights:.3g} times fewer",
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


# Bytes per element of the dtypes attention scores are held in.
SCORE_DTYPES = {"float32": 4, "float16": 2, "bfloat16": 2}
MIB = 2**20


@_topic("attention-memory", "3.4")
def _attention_memory(rng: random.Random) -> Drill:
    batch = rng.choice([1, 2, 4, 8])
    heads = rng.choice([1, 8, 12, 16, 32])
    length = rng.choice([1024, 2048, 4096, 8192, 16384])
    dtype = rng.choice(list(SCORE_DTYPES))
    size = SCORE_DTYPES[dtype]
    mib = batch * heads * length * length * size / MIB
    return Drill(
        "attention-memory",
        f"Batch size B = {batch}, heads h = {heads}, sequences of L = S = {length} tokens, scores in {dtype}: how "
        "many MiB does the full attention score matrix take?",
        mib,
        f"B × h × L × S × bytes = {batch} × {heads} × {length}² × {size} B = {batch * heads * length * length * size} B"
        f" = {format_number(mib)} MiB (1 MiB = 2²⁰ B)",
    )


@_topic("flash-memory", "3.4")
def _flash_memory(rng: random.Random) -> Drill:
    batch = rng.choice([1, 2, 4, 8])
    heads = rng.choice([1, 8, 12, 16, 32])
    length = rng.choice([1024, 2048, 4096, 8192, 16384])
    block = rng.choice([32, 64, 128, 256])
    dtype = rng.choice(list(SCORE_DTYPES))
    size = SCORE_DTYPES[dtype]
    mib = batch * heads * length * block * size / MIB
    full = batch * heads * length * length * size / MIB
    return Drill(
        "flash-memory",
        f"Flash attention with blocks of b = {block} keys, batch size B = {batch}, heads h = {heads}, L = S = {length} "
        f"tokens, scores in {dtype}: how many MiB do the scores of one block take, all queries, heads and sequences "
        "together?",
        mib,
        f"One block's scores are B × h × L × b: {batch} × {heads} × {length} × {block} × {size} B = "
        f"{batch * heads * length * block * size} B = {format_number(mib)} MiB, against {format_number(full)} MiB for "
        f"the full L × S matrix (S/b = {length // block} times more). Besides the output, each query keeps only "
        "a running max and a running sum.",
    )


@_topic("linformer-cost", "3.4")
def _linformer_cost(rng: random.Random) -> Drill:
    length = rng.choice([1024, 2048, 4096, 8192])
    k = rng.choice([64, 128, 256, 512])
    batch = rng.choice([1, 2, 8, 16])
    heads = rng.choice([1, 8, 12, 16])
    entries = batch * heads * length * k
    return Drill(
        "linformer-cost",
        f"Linformer projects the keys and values of n = {length} tokens down to k = {k}. With batch size B = {batch} "
        f"and heads h = {heads}, how many entries do the attention weight matrices hold in total?",
        entries,
        f"The scores Q(EK)ᵀ are n × k per sequence and head: B × h × n × k = {batch} × {heads} × {length} × {k} "
        f"= {entries}, against B × h × n² = {batch * heads * length * length} for standard attention "
        f"(n/k = {format_number(length / k)} times more)",
        exact=True,
    )


@_topic("vit-tokens", "3.4")
def _vit_tokens(rng: random.Random) -> Drill:
    patch = rng.choice([8, 14, 16, 32])
    sizes = [size for size in (112, 224, 256, 384, 448, 512) if size % patch == 0]
    height, width = rng.choice(sizes), rng.choice(sizes)
    rows, columns = height // patch, width // patch
    tokens = rows * columns + 1
    return Drill(
        "vit-tokens",
        f"A Vision Transformer with {patch}×{patch} patches and a class token reads a {height}×{width} image: "
        "how many tokens does its encoder see?",
        tokens,
        f"(H/P) × (W/P) patches + 1 class token = ({height}/{patch}) × ({width}/{patch}) + 1 = "
        f"{rows} × {columns} + 1 = {tokens}",
        exact=True,
    )


# What becomes of BERT's selected positions, as fractions of them.
MLM_OUTCOMES = {
    "selected as prediction targets": 1.0,
    "replaced by [MASK]": 0.8,
    "replaced by a randomly drawn token": 0.1,
    "selected but left unchanged": 0.1,
}


@_topic("mlm-counts", "3.4")
def _mlm_counts(rng: random.Random) -> Drill:
    p = rng.choice([0.15, 0.15, 0.2, 0.4])
    batch = rng.choice([8, 16, 32, 64])
    length = rng.choice([128, 256, 512])
    special = rng.choice([2, 3, 10, 30])
    outcome = rng.choice(list(MLM_OUTCOMES))
    fraction = MLM_OUTCOMES[outcome]
    ordinary = batch * (length - special)
    selected = p * ordinary
    expected = fraction * selected
    solution = (
        f"Special positions are never selected: {batch} × ({length} − {special}) = {ordinary} ordinary positions, "
        f"of which a fraction p = {p} is selected: {format_number(selected)}"
    )
    if fraction != 1.0:
        solution += (
            f".\nOf the selected, 80% → [MASK], 10% → a random token, 10% unchanged: "
            f"{fraction} × {format_number(selected)} = {format_number(expected)}"
        )
    return Drill(
        "mlm-counts",
        f"BERT's masked LM with p = {p} reads a batch of {batch} sequences of {length} tokens, {special} of them "
        f"special in each ([CLS], [SEP], padding). How many positions do you expect to be {outcome}?",
        expected,
        solution,
    )


@_topic("nucleus-size", "3.4")
def _nucleus_size(rng: random.Random) -> Drill:
    # Whole percentages: running totals are exact, so "reaches p" is never a rounding question.
    count = rng.randint(5, 8)
    cuts = sorted(rng.sample(range(1, 100), count - 1))
    percents = [b - a for a, b in zip([0, *cuts], [*cuts, 100])]
    rng.shuffle(percents)
    p = rng.choice([50, 60, 70, 75, 80, 90, 95])
    ranked = sorted(percents, reverse=True)
    totals = [sum(ranked[: i + 1]) for i in range(len(ranked))]
    kept = next(i + 1 for i, total in enumerate(totals) if total >= p)
    return Drill(
        "nucleus-size",
        f"The next token's probabilities are {', '.join(format_number(q / 100) for q in percents)}. "
        f"How many tokens does top-p (nucleus) filtering with p = {format_number(p / 100)} keep?",
        kept,
        f"Sorted: {', '.join(format_number(q / 100) for q in ranked)}; running totals "
        f"{', '.join(format_number(total / 100) for total in totals[:kept])}: the total first reaches "
        f"p = {format_number(p / 100)} at token {kept}, which is kept, so the nucleus holds {kept} "
        f"token{'s' if kept > 1 else ''}",
        exact=True,
    )


@_topic("temperature", "3.4")
def _temperature(rng: random.Random) -> Drill:
    logits = [rng.randint(-2, 4) for _ in range(rng.randint(3, 5))]
    temperature = rng.choice([0.25, 0.5, 0.7, 1.5, 2, 3])
    asked = rng.choice(logits)
    top = max(logits) / temperature
    # Shifted by the largest z/T, as a stable softmax computes it: the ratio is the same.
    weights = [math.exp(z / temperature - top) for z in logits]
    probability = math.exp(asked / temperature - top) / sum(weights)
    return Drill(
        "temperature",
        f"Next-token logits [{', '.join(map(str, logits))}] are sampled at temperature T = {temperature}: what "
        f"probability does the token with logit {asked} get?",
        probability,
        f"softmax(z/T): z/T = [{', '.join(format_number(z / temperature) for z in logits)}]; minus its largest "
        f"value {format_number(top)}: e^(z/T − max) = [{', '.join(f'{w:.4g}' for w in weights)}]; "
        f"{math.exp(asked / temperature - top):.4g} / {sum(weights):.6g} = {probability:.6g}",
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

