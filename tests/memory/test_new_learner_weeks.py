"""Two weeks of a new learner who does what `dlprep` plans each day, the clock moved a day at a time:
katas come back as blank stubs when due, their passes reschedule them further out, a diagnosed
failure brings its cards forward, and each day done adds to the streak."""

from __future__ import annotations

import json
import re
from datetime import datetime

from dlprep import paths, store

from .conftest import DAY, MINUTE, T0
from .test_pull_forward import WRONG_LOG_SOFTMAX

DAYS = 14
WORK = 25 * MINUTE  # from the stub to the pass: Good for katas of one or two stars, Easy for three


def planned_katas(shown: str) -> list[tuple[str, bool]]:
    """(kata, written again) for each kata step of the plan `dlprep` shows."""
    steps = re.findall(r"^  \d\. (\w+) +(write it again|new:)", shown, flags=re.M)
    return [(kata, what == "write it again") for kata, what in steps if kata != "flashcards"]


def due_dates() -> dict[str, str]:
    with store.connect(write=False) as conn:
        return {row["item"]: row["due"] for row in conn.execute("SELECT item, due FROM schedule WHERE kind = 'kata'")}


def test_two_weeks_of_doing_the_days_plan(run):
    assert "prepare for deep-learning interviews" in run(at=T0).output
    intervals: dict[str, list[int]] = {}
    ratings: dict[str, list[str]] = {}
    for number in range(DAYS):
        now = T0 + number * DAY
        run("quiz", input="3\n" * 400, at=now)  # the day's cards first, as the plan orders them
        shown = run(at=now).output
        assert shown.startswith(f"Today, {now:%a %d %b}: about "), shown
        katas = planned_katas(shown)
        assert katas, shown
        for kata, again in katas:
            before = paths.learner_copy(kata).read_text() if again else None
            exercised = run("exercise", kata, at=now)
            assert ("is due: write it again" in exercised.output) == again, exercised.output
            if again:  # a blank stub, the attempt passed kept beside it
                assert paths.learner_copy(kata).read_text() == paths.stub(kata).read_text()
                assert any(path.read_text() == before for path in paths.workspace().glob(f"{kata}.20*.py"))
            if kata == "softmax" and again:  # one re-implementation goes wrong first
                paths.learner_copy(kata).write_text(WRONG_LOG_SOFTMAX)
                failed = json.loads(run("grade", kata, "--json", at=now).output)
                assert "log-of-softmax" in [d["mistake"] for d in failed["diagnosis"]] and failed["cards_moved"]
                assert "0 due" not in run(at=now).output.splitlines()[1]  # its cards are in today's review
                run("quiz", input="3\n" * 100, at=now)
            paths.learner_copy(kata).write_text(paths.reference(kata).read_text())
            graded = json.loads(run("grade", kata, "--json", at=now + WORK).output)
            assert graded["passed"] and graded["schedule"]["rating"] is not None, graded["schedule"]
            due = graded["schedule"]["due"]
            intervals.setdefault(kata, []).append(round((datetime.fromisoformat(due) - now - WORK) / DAY))
            ratings.setdefault(kata, []).append(graded["schedule"]["rating"])
        assert "nothing left to do" in run(at=now + WORK).output, f"day {number}"
    assert all(later > first for first, later, *_ in (v for v in intervals.values() if len(v) > 1))
    assert sum(len(v) > 1 for v in intervals.values()) >= 5  # katas came back and were written again
    assert ratings["softmax"][:2] == ["Good", "Hard"]  # written again, it failed before passing
    assert ratings["activations"][0] == "Good" and ratings["batchnorm"][0] == "Easy"  # 25 min: 1 star, 3 stars
    stats = " ".join(run("stats", at=T0 + (DAYS - 1) * DAY + WORK).output.split())
    assert f"Streak: {DAYS} days in a row with the day's plan done" in stats
    assert set(due_dates()) == set(intervals)
