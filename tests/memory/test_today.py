"""`dlprep today`: the plan (what is due, what is new, how long it takes), the same in a terminal and
piped, run in order, and stopped at any step without losing anything."""

from __future__ import annotations

import codecs
import contextlib
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest
from fsrs import Rating

from dlprep import paths, plan, store
from dlprep.cards import schedule
from dlprep.cards.deck import load as load_deck
from dlprep.cards.session import KIND, Session

from .conftest import DAY, MINUTE, T0, begin, grade, kata_state

DECK = load_deck()
DLPREP = [sys.executable, "-m", "dlprep"]


def day_plan(**options) -> plan.Plan:
    from dlprep import clock

    with store.connect(write=False) as conn:
        return plan.compute(conn, DECK, clock.now(), new_per_day=options.pop("new_per_day", 20), day_starts_at=4, **options)


def pass_kata(at, kata: str, started, minutes: int = 15) -> None:
    at(started)
    begin(kata)
    paths.learner_copy(kata).write_text(paths.reference(kata).read_text())
    at(started + minutes * MINUTE)
    grade(kata, True)


# --- the plan ------------------------------------------------------------------------


def test_a_new_learners_plan_is_the_days_new_cards_and_the_first_kata(at):
    fresh = day_plan()
    assert (fresh.cards_due, fresh.cards_new, fresh.started) == (0, 20, False)
    assert [(step.kata, step.again) for step in fresh.katas] == [("activations", False)]
    # Defaults until the learner has durations of their own: 10 s a review, 2 reviews a new card, 15 min a star.
    assert fresh.card_minutes == pytest.approx(20 * 2 * 10 / 60)
    assert fresh.katas[0].minutes == pytest.approx(15 + 2 / 60)


def test_the_plan_takes_what_the_quiz_takes_and_the_due_katas_most_overdue_first(at, no_fuzz):
    pass_kata(at, "softmax", T0 - 5 * DAY)  # Good: due 3 days ago
    pass_kata(at, "dropout", T0 - 3 * DAY)  # due yesterday
    pass_kata(at, "init", T0 - 1 * DAY)  # due tomorrow
    at(T0 - DAY)
    with store.connect() as conn:
        for card in DECK.cards[:12]:
            schedule.review(conn, KIND, card.key, Rating.Good, T0 - DAY, duration_ms=6000)  # in learning: due today
    at(T0)
    found = day_plan(new_per_day=5)
    with store.connect() as conn:
        session = Session(conn, DECK.cards, deck_keys={c.key for c in DECK.cards}, new_per_day=5, day_starts_at=4)
        counts = session.counts()
    assert found.cards_due == counts.learning + counts.due == 12 and found.cards_new == counts.new == 5
    assert [(step.kata, step.again) for step in found.katas] == [("softmax", True), ("dropout", True), ("activations", False)]
    assert found.katas[0].due == T0 - 3 * DAY + 15 * MINUTE


def test_the_estimate_comes_from_the_learners_own_durations(at, no_fuzz):
    pass_kata(at, "softmax", T0 - 5 * DAY, minutes=30)  # 30 min for one star
    pass_kata(at, "backprop", T0 - 4 * DAY, minutes=40)  # 20 min a star
    at(T0 - DAY)
    with store.connect() as conn:
        for number, card in enumerate(DECK.cards[:10]):
            schedule.review(conn, KIND, card.key, Rating.Good, T0 - DAY, duration_ms=4000)
            schedule.review(conn, KIND, card.key, Rating.Good, T0 - DAY + 10 * MINUTE, duration_ms=4000)
            schedule.review(conn, KIND, card.key, Rating.Again, T0 - DAY + 20 * MINUTE, duration_ms=4000)
    at(T0)
    speed = day_plan()
    with store.connect(write=False) as conn:
        pace = plan.pace(conn, T0, 4)
    assert pace.review_s == 4.0 and pace.reviews_per_new_card == 3.0 and pace.minutes_per_star == 25.0
    assert pace.grade_s == 0.5
    assert speed.card_minutes == pytest.approx((speed.cards_due + 20 * 3) * 4 / 60)
    assert speed.katas[0].minutes == pytest.approx(25 * 1 + 0.5 / 60)


def test_new_katas_come_one_a_day_an_unfinished_one_first(at, no_fuzz):
    begin("lstm")  # in progress
    assert [step.kata for step in day_plan().katas] == ["lstm"]
    assert [step.kata for step in day_plan(new_katas=3).katas] == ["lstm", "activations", "softmax"]
    assert day_plan(new_katas=0).katas == ()
    pass_kata(at, "lstm", T0 + MINUTE)
    at(T0 + 2 * timedelta(hours=1))
    assert day_plan().katas == ()  # a first pass today: that was the day's new kata
    at(T0 + DAY)
    assert [step.kata for step in day_plan().katas] == ["activations"]


def test_a_done_day_is_recorded_once_and_makes_the_streak(at):
    for offset in (0, 1, 2, 4, 5):
        day = plan.Plan(T0.date() + timedelta(days=offset), 0, 0, 0.0, (), True, None)
        with store.connect() as conn:
            assert plan.record_if_done(conn, day, T0 + offset * DAY)
            assert plan.record_if_done(conn, day, T0 + offset * DAY + MINUTE)
    with store.connect() as conn:
        assert not plan.record_if_done(conn, plan.Plan(T0.date(), 1, 0, 0.0, (), True, None), T0)
        assert plan.streak(conn, T0.date() + timedelta(days=5)) == plan.Streak(current=2, best=3, completed=5)
        assert plan.streak(conn, T0.date() + timedelta(days=6)).current == 2  # today not done yet
        assert plan.streak(conn, T0.date() + timedelta(days=7)).current == 0


def test_dlprep_alone_welcomes_then_shows_the_plan(run):
    assert "prepare for deep-learning interviews" in run().output
    run("exercise", "softmax")
    shown = run().output
    assert shown.startswith("Today, Mon 07 Jan: about ")
    assert re.search(r"^  1\. flashcards +0 due, 20 new +\d+ min$", shown, flags=re.M)
    assert re.search(r"^  2\. softmax +new: Stable softmax and log-softmax +15 min$", shown, flags=re.M)
    assert "Run it: dlprep today" in shown


# --- the plan run, as a process ----------------------------------------------------


def environment(home: Path, at=T0) -> dict[str, str]:
    return {
        **os.environ, "DLPREP_HOME": str(home / "home"), "DLPREP_WORKSPACE": str(home / "workspace"),
        "DLPREP_NOW": at.isoformat(), "TZ": "UTC", "COLUMNS": "80", "PYTHONIOENCODING": "utf-8",
    }


STARTED: list[subprocess.Popen] = []


@pytest.fixture(autouse=True)
def _nothing_left_running():
    """A test that fails midway must not leave its `dlprep today` (and grader) running."""
    yield
    while STARTED:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(STARTED.pop().pid, signal.SIGKILL)


class Today:
    """`dlprep today` in a process group of its own, piped: lines in, output watched."""

    def __init__(self, env: dict[str, str], *args: str) -> None:
        self.process = subprocess.Popen(
            [*DLPREP, "today", *args], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            env=env, start_new_session=True, text=True, encoding="utf-8",
        )
        STARTED.append(self.process)
        self.out: list[str] = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        decoder = codecs.getincrementaldecoder("utf-8")()
        while chunk := os.read(self.process.stdout.fileno(), 65536):  # prompts end without a newline
            self.out.append(decoder.decode(chunk))

    def expect(self, text: str, count: int = 1, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while "".join(self.out).count(text) < count:
            assert self.process.poll() is None or "".join(self.out).count(text) >= count, "".join(self.out)
            assert time.monotonic() < deadline, f"{text!r} not shown:\n{''.join(self.out)}"
            time.sleep(0.05)

    def save_until(self, file: Path, text: str, shown: str, count: int = 1) -> None:
        """Save the file, again each second until `shown` appears (a save made while the watch is
        still starting may go unseen, as it would in an editor). A busy machine may take a minute
        to start the grader."""
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            file.write_text(text)
            try:
                return self.expect(shown, count, timeout=1)
            except AssertionError:
                continue
        self.expect(shown, count, timeout=1)

    def type(self, line: str) -> None:
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()

    def interrupt(self, signum: int = signal.SIGINT) -> tuple[int, str, str]:
        """Ctrl-C as a terminal sends it: to the whole process group."""
        os.killpg(self.process.pid, signum)
        code = self.process.wait(timeout=60)
        self.reader.join(timeout=10)
        deadline = time.monotonic() + 10
        with contextlib.suppress(ProcessLookupError):  # none of its processes is left behind
            while time.monotonic() < deadline:
                os.killpg(self.process.pid, 0)
                time.sleep(0.05)
            raise AssertionError("a process of dlprep today outlived it")
        return code, "".join(self.out), self.process.stderr.read()


def reviews(env) -> int:
    with store.connect(paths.Path(env["DLPREP_HOME"]) / "dlprep.db", write=False) as conn:
        return conn.execute("SELECT COUNT(*) FROM reviews WHERE kind = 'card'").fetchone()[0]


@pytest.fixture
def learner(tmp_path, monkeypatch, no_fuzz):
    """softmax passed three days ago (due again today, Good after 15 min); the day: 2 new cards,
    softmax written again, then the new kata (activations): NumPy katas, a second to grade."""
    monkeypatch.setenv("DLPREP_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("DLPREP_WORKSPACE", str(tmp_path / "workspace"))
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    monkeypatch.setenv("DLPREP_NOW", (T0 - 3 * DAY).isoformat())
    begin("softmax")
    paths.learner_copy("softmax").write_text(paths.reference("softmax").read_text())
    monkeypatch.setenv("DLPREP_NOW", (T0 - 3 * DAY + 15 * MINUTE).isoformat())
    grade("softmax", True)
    return environment(tmp_path)


def test_a_pass_in_watch_mode_that_finishes_the_plan_records_the_day(tmp_path):
    """As a grade does: no card left today (none new), the day's new kata passed on a save."""
    env = environment(tmp_path)
    subprocess.run([*DLPREP, "cards", "config", "new_per_day", "0"], env=env, check=True, capture_output=True, timeout=60)
    subprocess.run([*DLPREP, "exercise", "softmax"], env=env, check=True, capture_output=True, timeout=60)
    Path(env["DLPREP_WORKSPACE"], "softmax.py").write_text(paths.reference("softmax").read_text())
    watch = subprocess.Popen([*DLPREP, "watch", "softmax"], env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, text=True)
    database = Path(env["DLPREP_HOME"], "dlprep.db")
    try:
        deadline = time.monotonic() + 120
        while not _days_done(database):
            assert watch.poll() is None and time.monotonic() < deadline, "the day was not recorded"
            time.sleep(0.1)
    finally:
        watch.terminate()
        watch.wait(timeout=30)
    assert _days_done(database) == [T0.date().isoformat()]


def _days_done(database: Path) -> list[str]:
    with store.connect(database, write=False) as conn:
        return [row["day"] for row in conn.execute("SELECT day FROM plan_days")]


STEPS = ["first card", "after a rating", "writing a kata again", "after a pass, the next kata"]


@pytest.mark.parametrize("step", STEPS)
def test_ctrl_c_at_each_step_of_the_plan_loses_nothing(learner, step):
    today = Today(learner, "--new", "2")
    today.expect("rating> ")
    if step != "first card":
        today.type("4")
        today.expect("rating> ", count=2)
    if step in STEPS[2:]:
        today.type("4")
        today.expect("Write it in")
    if step == STEPS[3]:
        today.save_until(Path(learner["DLPREP_WORKSPACE"], "softmax.py"), paths.reference("softmax").read_text(), "Write it in", 2)
    code, out, err = today.interrupt()
    assert code == 130, (out, err)
    assert "Stopped: everything done so far is saved" in err and "Traceback" not in out + err

    workspace = Path(learner["DLPREP_WORKSPACE"])
    assert reviews(learner) == {STEPS[0]: 0, STEPS[1]: 1}.get(step, 2)
    if step in STEPS[2:]:
        assert (workspace / "softmax.2030-01-04.py").read_text() == paths.reference("softmax").read_text()
    state = kata_state("softmax")
    if step == STEPS[3]:
        assert state.last_review == T0 and (workspace / "activations.py").read_text() == paths.stub("activations").read_text()
    else:
        assert state.last_review == T0 - 3 * DAY + 15 * MINUTE
    left = subprocess.run(DLPREP, env=learner, capture_output=True, text=True, timeout=60).stdout  # the plan, as it is now
    rated = {STEPS[0]: 0, STEPS[1]: 1}.get(step, 2)
    assert f"0 due, {20 - rated} new" in left
    assert ("softmax               write it again" in left) == (step != STEPS[3])


def test_sigterm_and_a_closed_terminal_stop_it_as_ctrl_c_does(learner):
    for signum in (signal.SIGTERM, signal.SIGHUP):
        today = Today(learner, "--new", "2")
        today.expect("rating> ")
        code, out, err = today.interrupt(signum)
        assert code == 130 and "Traceback" not in out + err


def test_the_plan_runs_to_its_end_and_the_day_is_done(learner):
    today = Today(learner, "--new", "1", "--new-katas", "0")
    today.expect("rating> ")
    today.type("4")
    today.expect("Write it in")
    today.save_until(Path(learner["DLPREP_WORKSPACE"], "softmax.py"), paths.reference("softmax").read_text(), "✔ softmax passed")  # not "softmax not passed"
    assert today.process.wait(timeout=60) == 0
    today.reader.join(timeout=10)
    out = "".join(today.out)
    assert "Scheduled Easy (first grade passed" in out and "Today's plan is done: 1 day in a row." in out


# --- the same plan in a terminal ---------------------------------------------------


def plan_part(text: str) -> list[str]:
    lines = [line.rstrip() for line in text.splitlines()]
    start = next(number for number, line in enumerate(lines) if line.startswith("Today, "))
    end = next(number for number, line in enumerate(lines) if line.startswith("In this order"))
    return lines[start:end]


@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed: no terminal to try the plan in")
def test_the_plan_is_the_same_in_a_terminal_and_piped(learner, tmp_path):
    piped = subprocess.run([*DLPREP, "today"], env=learner, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60)
    session = f"dlprep-{os.getpid()}"
    exports = " ".join(f"{name}={learner[name]}" for name in ("DLPREP_HOME", "DLPREP_WORKSPACE", "DLPREP_NOW", "TZ"))
    subprocess.run(
        ["tmux", "new-session", "-d", "-s", session, "-x", "80", "-y", "50",
         f"env {exports} {' '.join(DLPREP)} today; echo rc=$?; sleep 60"],
        check=True,
    )
    deadline = time.monotonic() + 60

    def screen_once(shown: str) -> str:
        while True:
            screen = subprocess.run(["tmux", "capture-pane", "-p", "-t", session, "-S", "-200"], capture_output=True, text=True).stdout
            if shown in screen:
                return screen
            assert time.monotonic() < deadline, screen
            time.sleep(0.1)

    try:
        screen = screen_once("space or enter")
        assert plan_part(screen) == plan_part(piped.stdout)
        assert len(plan_part(screen)) == 4  # heading, cards, softmax again, the new kata
        for key, then in ((" ", "1 again"), ("4", "Easy: next review"), ("C-c", "rc=")):
            subprocess.run(["tmux", "send-keys", "-t", session, key], check=True)
            screen = screen_once(then)
        assert "rc=130" in screen and "Traceback" not in screen
        assert reviews(learner) == 1
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)
