"""FSRS through dlprep's storage: golden values, round trips, the review log."""

from __future__ import annotations

import random
import uuid
from datetime import datetime, timedelta

import pytest
from fsrs import Rating, State
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dlprep import store
from dlprep.cards import schedule

from .conftest import T0


def test_golden_schedule_of_one_card(db):
    # Default FSRS-6 parameters; fuzz (intervals of 2.5 days and more) seeded.
    random.seed(0)
    steps = [
        (Rating.Good, T0, State.Learning, 2.3065, 2.118104, "2030-01-07T09:10:00+00:00"),
        (Rating.Good, T0 + timedelta(minutes=10), State.Review, 2.3065, 2.111214, "2030-01-09T09:10:00+00:00"),
        (Rating.Good, datetime.fromisoformat("2030-01-09T09:10:00+00:00"), State.Review, 10.971048, 2.104331,
         "2030-01-22T09:10:00+00:00"),
        (Rating.Again, datetime.fromisoformat("2030-01-22T09:10:00+00:00"), State.Relearning, 1.569483, 7.389976,
         "2030-01-22T09:20:00+00:00"),
    ]
    for rating, when, state, stability, difficulty, due in steps:
        after = schedule.review(db, "golden", rating, when)
        stored = schedule.load_states(db)["golden"]
        assert stored == after
        assert (stored.state, stored.due.isoformat(), stored.last_review) == (state, due, when)
        assert stored.stability == pytest.approx(stability, abs=1e-6)
        assert stored.difficulty == pytest.approx(difficulty, abs=1e-6)
    log = schedule.reviews(db, card_id="golden")
    assert [(r.rating, r.state_before, r.cram) for r in log] == [
        (Rating.Good, None, False),
        (Rating.Good, State.Learning, False),
        (Rating.Good, State.Review, False),
        (Rating.Again, State.Review, False),
    ]


_history = st.lists(
    st.tuples(st.sampled_from(list(Rating)), st.integers(min_value=0, max_value=60 * 24 * 40)),
    min_size=1,
    max_size=8,
)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(_history)
def test_fsrs_state_round_trips_through_the_database(db, history):
    card_id = f"card-{uuid.uuid4()}"
    when = T0
    for rating, minutes in history:
        when += timedelta(minutes=minutes)
        after = schedule.review(db, card_id, rating, when)
        with store.connect() as other:
            assert schedule.load_states(other)[card_id].to_dict() == after.to_dict()
    assert len(schedule.reviews(db, card_id=card_id)) == len(history)


def test_cramming_logs_the_rating_but_leaves_the_schedule_alone(db):
    schedule.review(db, "c", Rating.Good, T0)
    before = schedule.load_states(db)["c"]
    assert schedule.review(db, "c", Rating.Again, T0 + timedelta(hours=1), cram=True) is None
    assert schedule.review(db, "new", Rating.Easy, T0, cram=True) is None
    states = schedule.load_states(db)
    assert states["c"] == before and "new" not in states
    assert [(r.card_id, r.cram) for r in schedule.reviews(db)] == [("c", False), ("new", True), ("c", True)]


def test_a_rating_builds_on_what_another_process_saved_meanwhile(db):
    with store.connect() as other:
        schedule.review(other, "shared", Rating.Good, T0)
    # This connection never loaded that state; its review must still start from it.
    after = schedule.review(db, "shared", Rating.Good, T0 + timedelta(minutes=10))
    assert after.state == State.Review
    assert [r.state_before for r in schedule.reviews(db, card_id="shared")] == [None, State.Learning]


def test_reviews_since_a_moment(db):
    for hours in (0, 5, 30):
        schedule.review(db, f"c{hours}", Rating.Good, T0 + timedelta(hours=hours))
    assert [r.card_id for r in schedule.reviews(db, since=T0 + timedelta(hours=5))] == ["c5", "c30"]


@pytest.mark.parametrize(
    "text, rating",
    [("1", Rating.Again), ("a", Rating.Again), (" Hard ", Rating.Hard), ("3", Rating.Good),
     ("G", Rating.Good), ("easy", Rating.Easy), ("4\n", Rating.Easy), ("5", None), ("", None), ("good!", None)],
)
def test_parse_rating(text, rating):
    assert schedule.parse_rating(text) == rating
