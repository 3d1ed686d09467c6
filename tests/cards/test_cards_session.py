"""The quiz session's queue: due first, then new, learning cards back when their step is up."""

from __future__ import annotations

from datetime import timedelta

from fsrs import Rating

from dlprep.cards.deck import load
from dlprep.cards.session import Session

from .conftest import T0

CARDS = load().cards[:5]


def test_a_card_rated_again_comes_back_once_its_step_has_passed(db, monkeypatch):
    monkeypatch.setenv("DLPREP_NOW", T0.isoformat())
    session = Session(db, CARDS, new=2)
    first = session.next_card()
    session.rate(first, Rating.Again)  # back in 1 minute
    monkeypatch.setenv("DLPREP_NOW", (T0 + timedelta(minutes=2)).isoformat())
    second = session.next_card()
    assert second == CARDS[1]
    session.rate(second, Rating.Good)  # back in 10 minutes: not within this session
    assert session.next_card() == first
    session.rate(first, Rating.Good)
    assert session.next_card() is None
    summary = session.summary()
    assert (summary.shown, summary.reviewed, summary.again, summary.new_left) == (3, 3, 1, 3)
    assert summary.next_due == T0 + timedelta(minutes=12)


def test_the_limit_counts_every_review(db, monkeypatch):
    monkeypatch.setenv("DLPREP_NOW", T0.isoformat())
    session = Session(db, CARDS, new=5, limit=2)
    assert session.remaining == 2
    for _ in range(2):
        session.rate(session.next_card(), Rating.Again)
    monkeypatch.setenv("DLPREP_NOW", (T0 + timedelta(hours=1)).isoformat())
    assert session.next_card() is None


def test_due_cards_come_before_new_ones_most_overdue_first(db, monkeypatch):
    monkeypatch.setenv("DLPREP_NOW", T0.isoformat())
    earlier = Session(db, CARDS, new=3)
    for rating in (Rating.Good, Rating.Again, Rating.Easy):
        earlier.rate(earlier.next_card(), rating)
    monkeypatch.setenv("DLPREP_NOW", (T0 + timedelta(days=1)).isoformat())
    later = Session(db, CARDS, new=1)
    assert later.queue == [CARDS[1], CARDS[0], CARDS[3]]
