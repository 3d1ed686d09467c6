"""FSRS through dlprep's storage: golden values (fuzz off, as py-fsrs's own tests), fuzz, previews, the logs."""

from __future__ import annotations

import math
import sqlite3
import uuid
from datetime import datetime, timedelta, timezone

import pytest
from fsrs import Card as FsrsCard
from fsrs import Rating, State
from fsrs import Scheduler as FsrsScheduler
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dlprep import store
from dlprep.cards import schedule

from .conftest import T0

NO_FUZZ = schedule.Scheduler(fuzz=False)
# py-fsrs's own golden test: these ratings, each given when the card falls due, at fixed times.
PY_FSRS_RATINGS = [Rating.Good] * 6 + [Rating.Again] * 2 + [Rating.Good] * 5
PY_FSRS_INTERVALS = [0, 2, 11, 46, 163, 498, 0, 0, 2, 4, 7, 12, 21]


def test_golden_intervals_match_py_fsrs(db):
    when = datetime(2022, 11, 29, 12, 30, tzinfo=timezone.utc)
    intervals = []
    for rating in PY_FSRS_RATINGS:
        after = schedule.review(db, "card", "golden", rating, when, scheduler=NO_FUZZ)
        intervals.append((after.due - after.last_review).days)
        when = after.due
    assert intervals == PY_FSRS_INTERVALS
    stored = schedule.load_states(db, "card")["golden"]
    assert stored.to_dict() | {"card_id": 0} == after.to_dict() | {"card_id": 0}
    assert stored.stability == pytest.approx(20.770357, abs=1e-6)
    assert stored.difficulty == pytest.approx(9.055760, abs=1e-6)


def test_golden_schedule_of_one_card_from_t0(db):
    steps = [
        (Rating.Good, T0, State.Learning, 2.3065, 2.118104, T0 + timedelta(minutes=10)),
        (Rating.Good, T0 + timedelta(minutes=10), State.Review, 2.3065, 2.111214, T0 + timedelta(days=2, minutes=10)),
        (Rating.Good, T0 + timedelta(days=2, minutes=10), State.Review, 10.971048, 2.104331,
         T0 + timedelta(days=13, minutes=10)),
        (Rating.Again, T0 + timedelta(days=13, minutes=10), State.Relearning, 1.539013, 7.389976,
         T0 + timedelta(days=13, minutes=20)),
    ]
    for rating, when, state, stability, difficulty, due in steps:
        after = schedule.review(db, "card", "one", rating, when, scheduler=NO_FUZZ)
        stored = schedule.load_states(db, "card")["one"]
        assert (stored.state, stored.due, stored.last_review) == (state, due, when) == (after.state, after.due, when)
        assert stored.stability == pytest.approx(stability, abs=1e-6)
        assert stored.difficulty == pytest.approx(difficulty, abs=1e-6)
    log = schedule.reviews(db, "card", item="one")
    assert [(r.rating, r.state_before) for r in log] == [
        (Rating.Good, None), (Rating.Good, State.Learning), (Rating.Good, State.Review), (Rating.Again, State.Review)
    ]


@pytest.mark.parametrize("fuzz", [False, True])
def test_a_preview_is_what_the_rating_then_gives(db, fuzz):
    scheduler = schedule.Scheduler(fuzz=fuzz)
    when = T0
    for rating in [Rating.Good, Rating.Good, Rating.Easy, Rating.Hard, Rating.Good]:
        state = schedule.load_states(db, "card").get("p")
        outcomes = scheduler.preview("p", state, when)
        after = schedule.review(db, "card", "p", rating, when, scheduler=scheduler)
        assert outcomes[rating].to_dict() == after.to_dict()
        when = after.due


def test_a_new_card_previews_as_anki_shows_it():
    outcomes = schedule.Scheduler().preview("any", None, T0)
    intervals = [outcomes[rating].due - T0 for rating in Rating]
    assert intervals[:3] == [timedelta(minutes=1), timedelta(minutes=5, seconds=30), timedelta(minutes=10)]
    # Easy graduates at once: 8 days of stability, fuzzed within Anki's range around 8 days.
    assert timedelta(days=6) <= intervals[3] <= timedelta(days=10) and intervals[3] % timedelta(days=1) == timedelta()


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=1, max_value=36500), st.text(min_size=1, max_size=20))
def test_fuzz_stays_within_fsrs_range_and_is_fixed_by_the_card(days, item):
    from fsrs.scheduler import FUZZ_RANGES

    scheduler = schedule.Scheduler()
    state = FsrsCard(card_id=1, state=State.Review, stability=1.0, difficulty=5.0, due=T0, last_review=T0)
    fuzzed = scheduler._fuzzed(days, schedule._draw(item, state))
    if days < 3:
        assert fuzzed == days
    else:
        delta = 1 + sum(r["factor"] * max(min(days, r["end"]) - r["start"], 0) for r in FUZZ_RANGES)
        assert max(2, round(days - delta)) <= fuzzed <= min(round(days + delta), 36500)
    assert fuzzed == scheduler._fuzzed(days, schedule._draw(item, state))


def test_fuzz_spreads_cards_due_the_same_day():
    state = FsrsCard(card_id=1, state=State.Review, stability=1.0, difficulty=5.0, due=T0, last_review=T0)
    spread = {schedule.Scheduler()._fuzzed(30, schedule._draw(f"card-{n}", state)) for n in range(200)}
    assert len(spread) >= 4 and min(spread) >= 27 and max(spread) <= 33


def test_the_default_scheduler_is_fsrs_with_anki_steps():
    fsrs = schedule.SCHEDULER.fsrs
    assert fsrs.parameters == FsrsScheduler().parameters and fsrs.desired_retention == 0.9
    assert fsrs.learning_steps == (timedelta(minutes=1), timedelta(minutes=10))
    assert fsrs.relearning_steps == (timedelta(minutes=10),)


_history = st.lists(
    st.tuples(st.sampled_from(list(Rating)), st.integers(min_value=0, max_value=60 * 24 * 40)),
    min_size=1,
    max_size=8,
)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(_history)
def test_fsrs_state_round_trips_through_the_database(db, history):
    item = f"card-{uuid.uuid4()}"
    when = T0
    for rating, minutes in history:
        when += timedelta(minutes=minutes)
        after = schedule.review(db, "card", item, rating, when)
        with store.connect() as other:
            stored = schedule.load_states(other, "card")[item]
            assert (stored.state, stored.step, stored.due, stored.last_review) == (
                after.state, after.step, after.due, after.last_review
            )
            assert math.isclose(stored.stability, after.stability) and math.isclose(stored.difficulty, after.difficulty)
    assert len(schedule.reviews(db, "card", item=item)) == len(history)


def test_kinds_keep_their_items_apart(db):
    schedule.review(db, "card", "x", Rating.Good, T0)
    schedule.review(db, "kata", "x", Rating.Again, T0)
    assert schedule.load_states(db, "card")["x"].step == 1 and schedule.load_states(db, "kata")["x"].step == 0
    assert [r.rating for r in schedule.reviews(db, "kata")] == [Rating.Again]


def test_cramming_is_logged_apart_and_leaves_the_schedule_alone(db):
    schedule.review(db, "card", "c", Rating.Good, T0)
    before = schedule.load_states(db, "card")["c"]
    schedule.cram(db, "card", "c", Rating.Again, T0 + timedelta(hours=1))
    schedule.cram(db, "card", "new", Rating.Easy, T0)
    states = schedule.load_states(db, "card")
    assert states["c"].to_dict() == before.to_dict() and "new" not in states
    assert [r.item for r in schedule.reviews(db, "card")] == ["c"]
    assert [(r.item, r.rating) for r in schedule.cram_reviews(db, "card")] == [("new", Rating.Easy), ("c", Rating.Again)]


def test_a_rating_builds_on_what_another_process_saved_meanwhile(db):
    with store.connect() as other:
        schedule.review(other, "card", "shared", Rating.Good, T0)
    # This connection never loaded that state; its review must still start from it.
    after = schedule.review(db, "card", "shared", Rating.Good, T0 + timedelta(minutes=10))
    assert after.state == State.Review
    assert [r.state_before for r in schedule.reviews(db, "card", item="shared")] == [None, State.Learning]


def test_reviews_since_a_moment_compare_times_not_text(db, monkeypatch):
    for hours in (0, 5, 30):
        schedule.review(db, "card", f"c{hours}", Rating.Good, T0 + timedelta(hours=hours))
    # The same moment written with another offset: still the same moment.
    since = (T0 + timedelta(hours=5)).astimezone(timezone(timedelta(hours=5, minutes=30)))
    assert [r.item for r in schedule.reviews(db, "card", since=since)] == ["c5", "c30"]
    assert schedule.introduced(db, "card", T0, T0 + timedelta(hours=6)) == {"c0", "c5"}


def test_logged_values_never_change_and_only_pruned_items_are_deleted(db):
    schedule.review(db, "card", "kept", Rating.Good, T0)
    schedule.review(db, "card", "gone", Rating.Good, T0)
    schedule.cram(db, "card", "gone", Rating.Hard, T0)
    for statement in ("UPDATE reviews SET rating = 1", "UPDATE reviews SET reviewed_at = 'x'",
                      "DELETE FROM reviews WHERE item = 'kept'", "DELETE FROM cram_reviews",
                      "UPDATE cram_reviews SET rating = 1"):
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            db.execute(statement)
    schedule.rename(db, "card", {"kept": "renamed"})
    assert schedule.forget(db, "card", ["gone"], T0) == 2
    assert schedule.histories(db, "card") == {"renamed": 1}
    assert [tuple(row) for row in db.execute("SELECT item, ratings FROM pruned")] == [("gone", 2)]


@pytest.mark.parametrize(
    "text, rating",
    [("1", Rating.Again), ("a", Rating.Again), (" Hard ", Rating.Hard), ("3", Rating.Good),
     ("G", Rating.Good), ("easy", Rating.Easy), ("4\n", Rating.Easy), ("5", None), ("", None), ("good!", None)],
)
def test_parse_rating(text, rating):
    assert schedule.parse_rating(text) == rating
