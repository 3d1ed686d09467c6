"""A failing grade whose diagnosis names a mistake moves exactly the cards behind it to today's review."""

from __future__ import annotations

import json

import pytest
from fsrs import Rating

from dlprep import store
from dlprep.cards import schedule
from dlprep.cards.deck import load as load_deck
from dlprep.cards.session import KIND
from dlprep.katas import concepts
from dlprep.katas.catalog import load

from .conftest import DAY, MINUTE, T0, grade

DECK = load_deck()
WRONG_LOG_SOFTMAX = """
import numpy as np

def softmax(z, axis=-1):
    e = np.exp(z - z.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)

def log_softmax(z, axis=-1):
    return np.log(softmax(z, axis))
"""


def cards_behind(kata: str, *tags: str) -> set[str]:
    return {card.key for card in DECK.cards if card.kata == kata or (tags and set(tags) <= set(card.tags))}


def schedules() -> dict[str, tuple]:
    with store.connect(write=False) as conn:
        return {row["item"]: tuple(row) for row in conn.execute("SELECT * FROM schedule WHERE kind = 'card'")}


def test_a_diagnosed_failure_moves_the_kata_and_topic_cards_and_nothing_else(run, tmp_path):
    reviewed = ["dlprep/softmax-formula", "dlprep/cross-entropy-from-logits", "dlprep/sigmoid-formula", "dlprep/relu-formula"]
    with store.connect() as conn:
        for key in reviewed:
            schedule.review(conn, KIND, key, Rating.Easy, T0)  # due in a week or so
    before = schedules()
    wrong = tmp_path / "softmax.py"
    wrong.write_text(WRONG_LOG_SOFTMAX)
    result = run("grade", "softmax", "--file", str(wrong), "--json", at=T0 + DAY)
    report = json.loads(result.output)
    assert result.exit_code == 1 and "log-of-softmax" in [d["mistake"] for d in report["diagnosis"]]
    expected = cards_behind("softmax", "losses", "softmax")
    assert {"dlprep/cross-entropy-from-logits", "dlprep/softmax-formula"} <= expected
    assert set(report["cards_moved"]) == expected

    after = schedules()
    now = schedule.stamp(T0 + DAY)
    assert {key for key, row in after.items() if row[6] == now} == expected
    for key in set(before) - expected:
        assert after[key] == before[key]  # untouched
    for key in set(before) & expected:
        assert after[key][:6] + after[key][7:] == before[key][:6] + before[key][7:]  # only the due date moved
    for key in expected - set(before):
        assert after[key][2:6] == (1, 0, None, None)  # never studied: in learning, as a card just seen

    quiz = run("quiz", "--new", "0", input="q\n", at=T0 + DAY)
    assert f"Due today: {len(expected)} ·" in quiz.output


def test_the_grade_says_how_many_cards_moved_then_that_they_are_due_already(run, tmp_path):
    wrong = tmp_path / "softmax.py"
    wrong.write_text(WRONG_LOG_SOFTMAX)
    count = len(cards_behind("softmax", "losses", "softmax"))
    first = " ".join(run("grade", "softmax", "--file", str(wrong), at=T0).output.split())
    assert f"{count} softmax cards moved to today's review (log-of-softmax)" in first
    second = " ".join(run("grade", "softmax", "--file", str(wrong), at=T0 + MINUTE).output.split())
    assert "moved" not in second and f"Already in today's review: {count} softmax cards" in second


@pytest.mark.parametrize("passed, error_kind, mistakes", [(True, None, ()), (False, "not-implemented", ()), (False, "crash", ())])
def test_a_pass_or_an_undiagnosed_failure_moves_nothing(at, passed, error_kind, mistakes):
    assert grade("lstm", passed, error_kind, mistakes).pulled is None
    assert schedules() == {}


def test_a_mistake_pulls_its_topic_across_the_kata_but_not_its_neighbours(at):
    linked = {card.key for card in concepts.linked(DECK, "lstm", ["gate-order"])}
    assert linked == cards_behind("lstm", "lstm", "gates")
    assert "dlprep/lstm-gate-activations" in linked  # tagged lstm and gates, practised by no kata
    assert not {key for key in linked if "gru" in key}
    assert {card.key for card in concepts.linked(DECK, "lstm", ["no-state-carry"])} == cards_behind("lstm")
    moved = grade("lstm", False, None, ["gate-order", "unstable-sigmoid"]).pulled.moved
    assert set(moved) == linked | cards_behind("lstm", "lstm", "activations")


def test_every_topic_names_a_known_mistake_and_reaches_a_card():
    from dlprep.grading import loaders

    catalog = load()
    for kata_id, table in concepts.topics().items():
        known = {mistake.id for mistake in loaders.mistakes(catalog.get(kata_id))}
        for mistake, topic in table.items():
            assert mistake in known, f"topics.toml: {kata_id} has no mistake {mistake}"
            assert any(all(card.has_tag(tag) for tag in topic) for card in DECK.cards), f"{kata_id}/{mistake}: no card tagged {topic}"
