"""`dlprep drill`: generated questions checked against PyTorch, grading, recording."""

from __future__ import annotations

import math
import random
import re

import pytest

from dlprep.cards import drills

SEEDS = range(25)


def _numbers(text: str) -> list[float]:
    return [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?(?:e-?\d+)?", text)]


def _drills(topic: str):
    return [drills.TOPICS[topic].make(random.Random(seed)) for seed in SEEDS]


def test_every_topic_of_the_issue_exists_and_the_help_lists_them(run):
    assert set(drills.TOPICS) == {
        "conv-output", "conv-params", "pool-output", "sigmoid-bound", "dropout-scale", "xavier-std",
        "he-std", "adam-mhat", "attention-size", "mha-params", "lstm-params", "cosine-lr", "warmup-lr",
    }
    help_text = " ".join(run("drill", "--help").output.split())
    assert all(name in help_text for name in drills.TOPICS)


def test_sizes_and_parameter_counts_match_pytorch():
    torch = pytest.importorskip("torch")
    meta = torch.device("meta")  # shapes and sizes without allocating or initialising anything
    for item in _drills("conv-output"):
        kernel, _, stride, padding, size, _ = _numbers(item.question)
        conv = torch.nn.Conv2d(1, 1, int(kernel), stride=int(stride), padding=int(padding), device=meta)
        assert conv(torch.zeros(1, 1, int(size), int(size), device=meta)).shape[-2] == item.answer
    for item in _drills("pool-output"):
        kernel, _, stride, size, _ = _numbers(item.question)
        pooled = torch.nn.functional.max_pool2d(torch.zeros(1, 1, int(size), int(size)), int(kernel), int(stride))
        assert pooled.shape[-1] == item.answer
    for item in _drills("conv-params"):
        kernel, _, c_in, c_out = map(int, _numbers(item.question))
        conv = torch.nn.Conv2d(c_in, c_out, kernel, device=meta)
        assert sum(p.numel() for p in conv.parameters()) == item.answer
    for item in _drills("mha-params"):
        d_model, heads = map(int, _numbers(item.question))
        layer = torch.nn.MultiheadAttention(d_model, heads, device=meta)
        assert sum(p.numel() for p in layer.parameters()) == item.answer
    for item in _drills("lstm-params"):
        inputs, hidden = map(int, _numbers(item.question))
        assert sum(p.numel() for p in torch.nn.LSTM(inputs, hidden, device=meta).parameters()) == item.answer
    for item in _drills("attention-size"):
        length, batch, heads = map(int, _numbers(item.question))
        assert torch.empty(batch, heads, length, length, device=meta).numel() == item.answer


def _stepped(torch, schedule, lr: float, steps: int) -> float:
    optimizer = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=lr)
    scheduler = schedule(optimizer)
    for _ in range(steps):
        optimizer.step()
        scheduler.step()
    return scheduler.get_last_lr()[0]


def test_learning_rates_match_pytorch_schedulers():
    torch = pytest.importorskip("torch")
    # Schedulers are stepped one step at a time: the drills with short schedules suffice.
    for item in [item for item in _drills("cosine-lr") if _numbers(item.question)[2] <= 1000][:6]:
        lr_max, lr_min, total, t = _numbers(item.question)
        cosine = lambda opt: torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=int(total), eta_min=lr_min)
        assert item.answer == pytest.approx(_stepped(torch, cosine, lr_max, int(t)), rel=1e-6, abs=1e-12)
    for item in [item for item in _drills("warmup-lr") if _numbers(item.question)[1] <= 1000][:6]:
        lr_max, warmup, t = _numbers(item.question)
        linear = lambda opt: torch.optim.lr_scheduler.LambdaLR(opt, lambda step: step / warmup)
        assert item.answer == pytest.approx(_stepped(torch, linear, lr_max, int(t)), rel=1e-9)


def test_adam_bias_corrected_first_moment_matches_pytorch():
    torch = pytest.importorskip("torch")
    for item in _drills("adam-mhat"):
        beta1, _, *grads, t = _numbers(item.question)
        assert len(grads) == int(t)
        param = torch.zeros(1, dtype=torch.float64, requires_grad=True)
        adam = torch.optim.Adam([param], betas=(beta1, 0.999))
        for g in grads:
            param.grad = torch.tensor([g], dtype=torch.float64)
            adam.step()
        m = adam.state[param]["exp_avg"].item()
        assert item.answer == pytest.approx(m / (1 - beta1 ** int(t)), rel=1e-12)


def test_closed_form_topics():
    for item in _drills("sigmoid-bound"):
        (layers,) = [n for n in _numbers(item.question) if n != 0.25]
        # The sigmoid's derivative peaks at 0.25, numerically:
        peak = max(s * (1 - s) for s in (1 / (1 + math.exp(-z / 100)) for z in range(-500, 501)))
        assert item.answer == pytest.approx(peak**layers)
    for item in _drills("dropout-scale"):
        (p,) = _numbers(item.question)
        assert item.answer * (1 - p) == pytest.approx(1)
    for item in _drills("xavier-std"):
        n_in, n_out = _numbers(item.question)
        assert item.answer**2 == pytest.approx(2 / (n_in + n_out))
    for item in _drills("he-std"):
        (n_in,) = _numbers(item.question)
        assert item.answer**2 == pytest.approx(2 / n_in)


@pytest.mark.parametrize(
    "text, value",
    [("42", 42), ("4,096", 4096), ("0.25^3", 0.015625), ("sqrt(2/512)", 0.0625), ("2×3", 6),
     ("√(4)", 2), ("1e-3", 0.001), ("-(2+3)*2", -10), ("cos(pi)", -1)],
)
def test_typed_answers_may_be_arithmetic(text, value):
    assert drills.evaluate(text) == pytest.approx(value)


@pytest.mark.parametrize("text", ["", "abc", "__import__('os')", "1/0", "9**9**9", "sqrt(-1)", "(1).real", "[1]"])
def test_anything_else_is_not_a_number(text):
    with pytest.raises(ValueError, match="cannot read"):
        drills.evaluate(text)


def test_exact_answers_for_counts_and_one_percent_for_the_rest():
    count = drills.Drill("t", "q", 2112, "s", exact=True)
    assert drills.is_correct(count, 2112) and not drills.is_correct(count, 2111)
    rate = drills.Drill("t", "q", 0.0866, "s")
    assert drills.is_correct(rate, 0.0867) and not drills.is_correct(rate, 0.0880)


def test_topic_prefixes_pick_topics():
    assert [t.name for t in drills.matching(["conv", "he"])] == ["conv-output", "conv-params", "he-std"]
    with pytest.raises(ValueError, match="no drill topic 'convolution'; topics: conv-output"):
        drills.matching(["convolution"])


def test_a_drill_session_grades_shows_solutions_and_records(run, db):
    rng = random.Random(7)
    topics = drills.matching(["conv", "lstm"])
    asked = [rng.choice(topics).make(rng) for _ in range(3)]
    answers = [drills.format_number(asked[0].answer), "oops", "", "1"]
    result = run("drill", "--topic", "conv", "--topic", "lstm", "-n", "3", "--seed", "7", input="\n".join(answers) + "\n")
    assert result.exit_code == 0, result.output
    assert "Correct" in result.output
    assert "cannot read 'oops' as a number" in result.output
    assert result.output.count("worked solution") == 2
    assert "1/3 correct" in result.output
    rows = db.execute("SELECT topic, given, correct FROM drill_results ORDER BY id").fetchall()
    assert [tuple(row) for row in rows] == [
        (asked[0].topic, answers[0], 1), (asked[1].topic, "", 0), (asked[2].topic, "1", 0)
    ]


def test_drill_stops_at_q_and_rejects_unknown_topics(run):
    assert "0/0 correct" in run("drill", input="q\n").output
    result = run("drill", "--topic", "transformer")
    assert result.exit_code == 2 and "no drill topic 'transformer'" in result.stderr
