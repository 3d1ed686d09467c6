"""`dlprep stats`: due counts, reviews per day, retention, mastery, drills."""

from __future__ import annotations

import random
import time
from datetime import timedelta

import pytest
from fsrs import Rating

from dlprep.cards import schedule
from dlprep.cards.deck import load
from dlprep.cards.stats import HISTORY_DAYS, compute

from .conftest import DAY, T0

DECK = load()


def test_stats_of_a_new_learner(run):
    result = run("stats")
    assert result.exit_code == 0, result.output
    assert "Due today: 0 · in the next 7 days: 0" in result.output
    assert "no reviews of graduated cards" in result.output
    assert "3.4 Attention & Transformers" in result.output
    assert "Drills: none yet" in result.output


@pytest.fixture
def utc(monkeypatch):
    """Local days are UTC days, wherever the tests run."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_figures_follow_the_reviews(db, utc):
    random.seed(0)  # FSRS fuzzes intervals
    cards = DECK.cards
    for card in cards[:3]:  # learnt over two days: graduated, due in a few days
        schedule.review(db, card.id, Rating.Good, T0 - 2 * DAY)
        schedule.review(db, card.id, Rating.Good, T0 - 2 * DAY + timedelta(minutes=10))
    schedule.review(db, cards[0].id, Rating.Again, T0)  # forgotten: relearning, due in 10 min
    schedule.review(db, cards[1].id, Rating.Good, T0)  # recalled early: due in 9 days
    schedule.review(db, cards[4].id, Rating.Good, T0 - DAY)  # due tomorrow
    schedule.review(db, cards[4].id, Rating.Good, T0 - DAY + timedelta(minutes=10))
    schedule.review(db, cards[3].id, Rating.Hard, T0, cram=True)  # counted per day, not in retention

    stats = compute(db, DECK, T0)
    assert schedule.load_states(db)[cards[2].id].due == T0 + timedelta(minutes=10)  # not reviewed today
    assert schedule.load_states(db)[cards[1].id].due == T0 + 9 * DAY
    assert stats.due_today == 2 and stats.due_week == 3
    assert len(stats.days) == HISTORY_DAYS and stats.days[-1].day == T0.date()
    assert [(d.reviews, d.again) for d in stats.days[-3:]] == [(6, 0), (2, 0), (3, 1)]
    assert stats.retention == pytest.approx(1 / 2) and stats.retention_reviews == 2
    first = stats.sections[0]
    assert (first.section, first.cards, first.new, first.learning, first.review) == (
        "3.1", sum(c.section == "3.1" for c in cards), first.cards - 4, 1, 3
    )
    assert 3 / first.cards < first.mastery < 4 / first.cards
    assert all(row.mastery == 0 for row in stats.sections[1:])


def test_stats_tomorrow_and_drills(run):
    run("quiz", "--limit", "3", input="3\n3\n1\n")
    run("drill", "--topic", "he", "-n", "2", input="\n1\n")
    result = run("stats", at=T0 + DAY)
    assert result.exit_code == 0, result.output
    assert "Due today: 3 · in the next 7 days: 3" in result.output
    assert "he-std" in result.output and "0%" in result.output
