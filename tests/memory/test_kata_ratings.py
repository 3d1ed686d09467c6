"""A pass is rated from how it happened, and FSRS schedules the kata from that rating: golden values
with the clock pinned and fuzz off."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fsrs import Rating, State

from dlprep import store
from dlprep.katas import memory, progress
from dlprep.katas.catalog import load

from .conftest import DAY, MINUTE, T0, begin, grade, kata_state

# First rating without learning steps: (stability, difficulty, interval in days), as FSRS 6 gives them.
FIRST = {
    Rating.Again: (0.212, 6.4133, 1),
    Rating.Hard: (1.2931, 5.1122, 1),
    Rating.Good: (2.3065, 2.1181, 2),
    Rating.Easy: (8.2956, 1.0, 8),
}
# After Good (2 days), at its due date: the second rating.
AFTER_GOOD = {
    Rating.Again: (0.6076, 7.3945, 1),
    Rating.Hard: (7.5133, 4.7529, 8),
    Rating.Good: (10.9643, 2.1112, 11),
    Rating.Easy: (18.5218, 1.0, 19),
}


def attempt(at, kata: str, steps: list[str], passed_after: timedelta) -> progress.Recorded:
    """Begin the kata at T0, do `steps` (fail, unfinished, hint, solution) a minute apart, pass at T0 + `passed_after`."""
    at(T0)
    begin(kata)
    for number, step in enumerate(steps, 1):
        at(T0 + number * MINUTE)
        if step == "fail":
            grade(kata, False, None, ["log-of-softmax"])
        elif step == "unfinished":
            grade(kata, False, "not-implemented")
        elif step == "hint":
            progress.next_hint(kata, load().get(kata).hints)
        elif step == "solution":
            progress.solution_shown(kata)
    at(T0 + passed_after)
    return grade(kata, True)


@pytest.mark.parametrize(
    "steps, passed_after, rating",
    [
        ([], 5 * MINUTE, Rating.Easy),  # under 10 min for a one-star kata
        ([], 10 * MINUTE, Rating.Good),  # the threshold itself is not under it
        ([], 3 * DAY, Rating.Good),
        (["unfinished", "unfinished"], 5 * MINUTE, Rating.Easy),  # grading the stub is no failure
        (["fail"], 5 * MINUTE, Rating.Hard),
        (["fail", "fail", "fail"], 2 * DAY, Rating.Hard),
        (["hint"], 5 * MINUTE, Rating.Hard),
        (["hint", "hint", "fail"], 5 * MINUTE, Rating.Hard),
        (["solution"], 5 * MINUTE, Rating.Again),
        (["fail", "hint", "solution"], 5 * MINUTE, Rating.Again),
    ],
)
def test_the_first_pass_is_rated_from_how_it_happened_and_scheduled_by_fsrs(at, no_fuzz, steps, passed_after, rating):
    outcome = attempt(at, "softmax", steps, passed_after).scheduled
    assert outcome.rating == rating
    stability, difficulty, interval = FIRST[rating]
    state = kata_state("softmax")
    assert state.state == State.Review and state.step is None
    assert state.stability == pytest.approx(stability, abs=1e-4) and state.difficulty == pytest.approx(difficulty, abs=1e-4)
    assert outcome.due == state.due == T0 + passed_after + interval * DAY


@pytest.mark.parametrize("kata", ["softmax", "backprop", "batchnorm", "lstm", "transformer_block"])
def test_easy_means_under_ten_minutes_per_star_of_difficulty(at, kata):
    stars = load().get(kata).difficulty
    quick = memory.Attempt(began=T0, failed=0, hints=0, solution=False)
    limit = timedelta(minutes=memory.EASY_MINUTES_PER_STAR * stars)
    assert memory.rate(quick, T0 + limit - timedelta(seconds=1), stars)[0] == Rating.Easy
    assert memory.rate(quick, T0 + limit, stars)[0] == Rating.Good
    untimed = memory.Attempt(began=None, failed=0, hints=0, solution=False)
    assert memory.rate(untimed, T0 + MINUTE, stars)[0] == Rating.Good


@pytest.mark.parametrize("failed", [0, 1, 4])
@pytest.mark.parametrize("hints", [0, 1, 5])
@pytest.mark.parametrize("solution", [False, True])
def test_the_rule_orders_solution_then_failures_then_hints(failed, hints, solution):
    rating, reason = memory.rate(memory.Attempt(T0, failed, hints, solution), T0 + MINUTE, 1)
    expected = Rating.Again if solution else Rating.Hard if failed or hints else Rating.Easy
    assert rating == expected and reason


@pytest.mark.parametrize("second", list(AFTER_GOOD))
def test_a_re_implementation_is_rated_at_its_pass_and_rescheduled(at, no_fuzz, second):
    steps = {Rating.Again: ["solution"], Rating.Hard: ["fail"], Rating.Good: [], Rating.Easy: []}[second]
    attempt(at, "softmax", [], 15 * MINUTE)  # Good: due in 2 days
    due = kata_state("softmax").due
    assert due == T0 + 15 * MINUTE + 2 * DAY
    at(due)
    assert begin("softmax").again
    for number, step in enumerate(steps, 1):
        at(due + number * MINUTE)
        if step == "fail":
            grade("softmax", False)
        else:
            progress.solution_shown("softmax")
    passed_at = due + (5 * MINUTE if second is Rating.Easy else 12 * MINUTE)
    at(passed_at)
    outcome = grade("softmax", True).scheduled
    assert outcome.rating == second
    stability, difficulty, interval = AFTER_GOOD[second]
    state = kata_state("softmax")
    assert state.stability == pytest.approx(stability, abs=1e-4) and state.difficulty == pytest.approx(difficulty, abs=1e-4)
    assert state.due == passed_at + interval * DAY
    with store.connect(write=False) as conn:
        logged = conn.execute("SELECT rating, state_before FROM reviews WHERE kind = 'kata' ORDER BY id").fetchall()
    assert [tuple(row) for row in logged] == [(int(Rating.Good), None), (int(second), int(State.Review))]


def test_what_happened_before_the_fresh_stub_does_not_rate_the_re_implementation(at, no_fuzz):
    attempt(at, "softmax", ["fail", "hint"], 20 * MINUTE)  # Hard: due in a day
    due = kata_state("softmax").due
    at(due - timedelta(hours=2))
    progress.solution_shown("softmax")  # comparing with the reference after passing
    at(due)
    begin("softmax")
    at(due + 15 * MINUTE)
    assert grade("softmax", True).scheduled.rating == Rating.Good


def test_a_pass_that_is_not_due_or_has_no_fresh_stub_changes_no_schedule(at, no_fuzz):
    attempt(at, "softmax", [], 15 * MINUTE)
    state = kata_state("softmax")
    at(T0 + DAY)
    early = grade("softmax", True).scheduled
    assert early.rating is None and early.reason == "not due yet"
    at(state.due + MINUTE)
    stale = grade("softmax", True).scheduled  # the previous attempt's file: no stub written since
    assert stale.rating is None and "no fresh stub" in stale.reason
    assert kata_state("softmax") == state
    with store.connect(write=False) as conn:
        assert conn.execute("SELECT COUNT(*) FROM reviews WHERE kind = 'kata'").fetchone()[0] == 1
        assert conn.execute("SELECT COUNT(*) FROM grades WHERE passed = 1").fetchone()[0] == 3


def test_a_kata_due_later_today_is_due(at, no_fuzz):
    """As for cards, due means due before the end of the study day (4 a.m.)."""
    at(T0.replace(hour=20))
    begin("softmax")
    at(T0.replace(hour=20, minute=30))
    grade("softmax", True)  # Good: due in 2 days, at 20:30
    at(T0.replace(hour=10) + 2 * DAY)
    assert begin("softmax").again


def test_a_re_implementation_starts_its_hints_again_and_counts_only_its_own(at, no_fuzz):
    hints = load().get("softmax").hints
    attempt(at, "softmax", ["hint", "hint"], 15 * MINUTE)
    at(kata_state("softmax").due)
    begin("softmax")
    assert progress.hints_seen("softmax", hints) == []
    assert progress.next_hint("softmax", hints) == (1, hints[0])
    at(kata_state("softmax").due + 5 * MINUTE)
    assert grade("softmax", True).scheduled.rating == Rating.Hard


def test_failing_saves_in_watch_mode_count_though_only_passes_are_kept_as_grades(at, no_fuzz):
    at(T0)
    begin("softmax")
    at(T0 + MINUTE)
    assert progress.record_watched_failure("softmax", "not-implemented").pulled is None
    at(T0 + 2 * MINUTE)
    assert memory_attempt("softmax").failed == 0  # the untouched stub saved: no failure
    assert progress.record_watched_failure("softmax", None, ["log-of-softmax"]).pulled.moved
    at(T0 + 5 * MINUTE)
    assert grade("softmax", True).scheduled.rating == Rating.Hard
    with store.connect(write=False) as conn:
        assert [tuple(row) for row in conn.execute("SELECT kata, passed FROM grades")] == [("softmax", 1)]


def memory_attempt(kata: str) -> memory.Attempt:
    from dlprep import clock

    with store.connect(write=False) as conn:
        return memory.attempt(conn, kata, None, clock.now())
