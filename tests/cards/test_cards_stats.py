"""`dlprep stats`: due counts, reviews per day, retention, mastery, drills, over one deck and in local days."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from fsrs import Rating

from dlprep.cards import schedule
from dlprep.cards.deck import load
from dlprep.cards.session import KIND
from dlprep.cards.stats import HISTORY_DAYS, compute

from .conftest import DAY, T0, set_time_zone, write

DECK = load()
NO_FUZZ = schedule.Scheduler(fuzz=False)


def _review(db, card, rating, when):
    schedule.review(db, KIND, card.key, rating, when, scheduler=NO_FUZZ)


def test_stats_of_a_new_learner_say_what_to_do(run):
    result = run("stats")
    assert result.exit_code == 0, result.output
    out = " ".join(result.output.split())
    assert "Due today: 0 · tomorrow: 0 · in the next 7 days: 0" in out
    assert "No reviews yet. Start with dlprep quiz: 20 new cards a day" in out
    assert "Reviews per day" not in out  # no rows of zeros
    assert "3.4 Attention & Transformers" in out and "Drills: none yet" in out


def test_figures_follow_the_reviews(db):
    cards = DECK.cards
    for card in cards[:3]:  # learnt two days ago: graduated, due in two days
        _review(db, card, Rating.Good, T0 - 2 * DAY)
        _review(db, card, Rating.Good, T0 - 2 * DAY + timedelta(minutes=10))
    _review(db, cards[0], Rating.Again, T0)  # forgotten: relearning, due in 10 min
    _review(db, cards[1], Rating.Good, T0)  # recalled (10 minutes early): due in 7 days
    _review(db, cards[4], Rating.Good, T0 - DAY)  # learnt yesterday: due in 2 days
    _review(db, cards[4], Rating.Good, T0 - DAY + timedelta(minutes=10))
    schedule.cram(db, KIND, cards[3].key, Rating.Hard, T0)  # crammed: apart from reviews and retention

    stats = compute(db, DECK, T0, 4)
    states = schedule.load_states(db, KIND)
    assert states[cards[2].key].due == T0 + timedelta(minutes=10)
    assert states[cards[1].key].due == T0 + 7 * DAY
    # Due today: cards 0 and 2, both in ten minutes; tomorrow: card 4; card 1 is past the week.
    assert (stats.due_today, stats.due_later_today, stats.due_tomorrow, stats.due_week) == (2, 2, 1, 3)
    assert stats.days[0].day == (T0 - 2 * DAY).date() and stats.days[-1].day == T0.date()
    assert [(d.reviews, d.again, d.crammed) for d in stats.days] == [(6, 0, 0), (2, 0, 0), (2, 1, 1)]
    assert stats.retention == pytest.approx(1 / 2) and stats.retention_reviews == 2
    assert stats.new_today == 0 and stats.reviews_ever == 10
    first = stats.sections[0]
    assert (first.section, first.cards, first.new, first.learning, first.review) == (
        "3.1", sum(c.section == "3.1" for c in cards), first.cards - 4, 1, 3
    )
    assert 3 / first.cards < first.mastery < 4 / first.cards
    assert all(row.mastery == 0 for row in stats.sections[1:])


def test_history_is_shown_from_the_first_day_with_ratings_at_most_30_days_back(db):
    _review(db, DECK.cards[0], Rating.Good, T0 - 100 * DAY)
    _review(db, DECK.cards[1], Rating.Good, T0 - 3 * DAY)
    stats = compute(db, DECK, T0, 4)
    assert [day.day for day in stats.days] == [(T0 - n * DAY).date() for n in (3, 2, 1, 0)]
    _review(db, DECK.cards[2], Rating.Good, T0 - 40 * DAY)
    _review(db, DECK.cards[3], Rating.Good, T0 - 29 * DAY)
    assert len(compute(db, DECK, T0, 4).days) == HISTORY_DAYS


def test_stats_follow_the_deck(run, db, tmp_path):
    notes = write(tmp_path / "notes", {"dl.md": "Mine?::yes\nAlso mine?::yes\n"})
    run("quiz", input="3\n3\n")  # two shipped cards
    run("quiz", "--deck", str(notes), input="1\n")  # one of mine
    mine = run("stats", "--deck", str(notes))
    out = " ".join(mine.output.split())
    assert "Due today: 3" not in out and "Due today: 1 (1 later today)" in out
    assert "New today: 1 of 20" in out
    assert "Due today: 2 (2 later today)" in " ".join(run("stats").output.split())


@pytest.mark.parametrize("starts_at, today", [(0, 2), (4, 0)])
def test_days_are_the_learners_local_days(db, monkeypatch, starts_at, today):
    set_time_zone(monkeypatch, "Asia/Kolkata")  # UTC+5:30
    # Two reviews at 01:30 on Tuesday in Kolkata (20:00 UTC on Monday); now it is Tuesday 10:00 there.
    for card in DECK.cards[:2]:
        _review(db, card, Rating.Good, datetime(2030, 1, 7, 20, 0, tzinfo=timezone.utc))
    now = datetime(2030, 1, 8, 4, 30, tzinfo=timezone.utc)
    stats = compute(db, DECK, now, starts_at)
    # With days from midnight they are today's; from 4 a.m. they were the night of the day before.
    assert stats.days[-1].day.isoformat() == "2030-01-08" and stats.days[-1].reviews == today
    assert sum(day.reviews for day in stats.days) == 2


def test_stats_tomorrow_and_drills(run):
    # Three new cards, learnt in the session: the one rated Again needs two more steps.
    quiz = run("quiz", "--limit", "3", input="3\n3\n1\n" + "3\n" * 9)
    assert "Reviewed 7 cards" in quiz.output and "Due today: 0 · tomorrow: 1" in quiz.output
    run("drill", "--topic", "he", "-n", "2", input="\n1\n")
    result = run("stats", at=T0 + DAY)
    assert result.exit_code == 0, result.output
    out = " ".join(result.output.split())
    assert "Due today: 1 · tomorrow: 2 · in the next 7 days: 3" in out
    assert "he-std" in out and "0%" in out and "Reviews per day" in out


def test_cram_ratings_are_apart_and_labelled(run):
    run("quiz", "--cram", "--limit", "2", input="3\n3\n")
    result = run("stats")
    out = " ".join(result.output.split())
    assert "No reviews yet" in out  # crammed only: still no review
    run("quiz", "--limit", "1", input="4\n")
    out = " ".join(run("stats").output.split())
    assert "crammed: ratings given with --cram, which are not reviews" in out
    row = next(line for line in run("stats").output.splitlines() if line.startswith(T0.strftime("%a %d %b")))
    assert row.split()[3:6] == ["1", "0", "2"]
