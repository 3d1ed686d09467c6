"""`dlprep quiz` as a learner uses it: scripted through stdin, in a terminal, interrupted, day after day."""

from __future__ import annotations

import os
import re
import select
import signal
import sqlite3
import subprocess
import time
from datetime import timedelta

import pytest
from fsrs import State

from dlprep import paths
from dlprep.cards import schedule
from dlprep.cards.deck import load
from dlprep.cards.session import KIND

from .conftest import DAY, DLPREP, T0, subprocess_env, write

DECK = load()
FIRST_TEN = DECK.cards[:10]


def _shown(output: str) -> list[str]:
    """Ids of the cards whose question panel the output shows, in order."""
    ids = {card.id for card in DECK.cards}
    found = [match.group(1) for match in re.finditer(r"^╭─ (\S+) ─", output, flags=re.M)]
    return [card_id for card_id in found if card_id in ids and card_id != "answer"]


def _states(db):
    return schedule.load_states(db, KIND)


def test_a_scripted_session_rates_cards_shows_intervals_and_repeats_learning_cards(run, db):
    result = run("quiz", "--limit", "3", input="3\n1\n4\n")
    assert result.exit_code == 0, result.output
    first, second, third = (card.id for card in DECK.cards[:3])
    # The card rated Again comes back in the same session (input ended while it was shown).
    assert _shown(result.output) == [first, second, third, second]
    assert DECK.cards[0].question.split()[0] in result.output
    # Each rating key shows, as Anki's buttons do, when the card would come back.
    assert "1 again <1m · 2 hard 6m · 3 good 10m · 4 easy " in result.output
    assert "Reviewed 3 cards · again-rate 33% (1 again)" in result.output
    good, again, easy = (_states(db)[card.key] for card in DECK.cards[:3])
    assert (good.state, good.due) == (State.Learning, T0 + timedelta(minutes=10))
    assert (again.state, again.due) == (State.Learning, T0 + timedelta(minutes=1))
    assert easy.state == State.Review and timedelta(days=6) <= easy.due - T0 <= timedelta(days=10)
    assert "Due today: 2 (2 later today) · tomorrow: 0 · next in 1 min (Mon 07 Jan 09:01)" in result.output
    assert "New today: 3 of 20" in result.output


def test_the_interval_on_each_key_is_the_one_the_rating_gives(run, db):
    result = run("quiz", "--limit", "1", input="4\n")
    shown = re.search(r"4 easy (\d+)d", result.output).group(1)
    (state,) = _states(db).values()
    assert state.due - T0 == timedelta(days=int(shown))


def test_the_end_of_input_ends_the_session_with_a_summary(run, db):
    result = run("quiz", input="g\n")
    assert result.exit_code == 0, result.output
    assert len(_shown(result.output)) == 2  # the second question was shown, then input ended
    assert "Reviewed 1 card · again-rate 0%" in result.output
    assert len(schedule.reviews(db, KIND)) == 1


def test_unknown_ratings_are_explained_and_q_quits(run, db):
    result = run("quiz", input="\nmaybe\ne\nq\n")
    assert result.exit_code == 0
    assert result.output.count("Type a rating (1-4 or a/h/g/e): 1 again <1m") == 2
    assert [r.rating.name for r in schedule.reviews(db, KIND)] == ["Easy"]


def test_new_cards_are_limited_per_day_across_runs(run, db):
    introduced = []
    for hour in range(5):  # five runs on one day, six cards asked for each time
        result = run("quiz", "--limit", "6", input="4\n" * 6, at=T0 + timedelta(hours=hour))
        introduced.append(len(_shown(result.output)))
    assert introduced == [6, 6, 6, 2, 0]
    assert "Nothing to review in this selection right now." in result.output
    assert "New today: 20 of 20" in result.output
    # --new raises today's limit, counting the 20 already seen; the next day starts afresh.
    assert len(_shown(run("quiz", "--new", "23", input="4\n" * 9, at=T0 + timedelta(hours=6)).output)) == 3
    assert len(_shown(run("quiz", "--limit", "30", input="4\n" * 30, at=T0 + DAY).output)) == 20


def test_the_daily_limit_is_a_setting(run):
    assert run("cards", "config", "new_per_day", "2").exit_code == 0
    assert len(_shown(run("quiz", input="4\n" * 5).output)) == 2
    assert "New today: 2 of 2" in run("quiz", input="").output


def test_next_day_the_cards_not_yet_learnt_are_due_first(run, db):
    ratings = ["3", "1", "4", "3", "2", "4", "3", "1", "4", "3"]
    first = run("quiz", "--limit", "10", input="\n".join(ratings) + "\n")
    assert first.exit_code == 0 and _shown(first.output)[:10] == [card.id for card in FIRST_TEN]
    # The session went on with its learning cards until input ended: seven are still learning.
    learning = [card.id for card in FIRST_TEN if _states(db)[card.key].state == State.Learning]
    assert len(learning) == 7

    # An hour later, the same study day: those seven come back, before any new card, until learnt.
    later = _shown(run("quiz", "--new", "0", input="3\n" * 20, at=T0 + timedelta(hours=1)).output)
    assert sorted(later[:7]) == sorted(learning) and set(later) == set(learning)
    assert not any(_states(db)[card.key].state == State.Learning for card in FIRST_TEN)

    # Days later: the cards due by the end of that study day, most overdue first.
    then = T0 + 5 * DAY
    due = sorted(
        (card for card in FIRST_TEN if _states(db)[card.key].due < then + timedelta(hours=19)),
        key=lambda card: _states(db)[card.key].due,
    )
    assert due
    shown = _shown(run("quiz", "--new", "0", input="4\n" * len(due), at=then).output)
    assert shown == [card.id for card in due]


def test_filters_pick_the_cards(run):
    result = run("quiz", "--section", "3.4", "--tag", "attention", "--limit", "2", input="")
    ids = _shown(result.output)
    assert ids and all(card.section == "3.4" and card.has_tag("attention") for card in DECK.cards if card.id in ids)


def test_cram_goes_through_cards_without_touching_the_schedule(run, db):
    run("quiz", "--limit", "1", input="3\n")
    before = {key: state.to_dict() for key, state in _states(db).items()}
    result = run("quiz", "--cram", "--limit", "3", input="1\n3\n3\n3\n")
    assert result.exit_code == 0
    first, second, third = (card.id for card in DECK.cards[:3])
    assert _shown(result.output) == [first, second, third, first]  # Again: back at the end
    assert "Crammed 4 cards" in result.output and "schedule was not changed" in result.output
    assert {key: state.to_dict() for key, state in _states(db).items()} == before
    assert len(schedule.reviews(db, KIND)) == 1 and len(schedule.cram_reviews(db, KIND)) == 4
    shown = " ".join(run("cards", "show", first).output.split())
    assert "reviews 1: 07 Jan Good" in shown and "crammed 2: 07 Jan Again, 07 Jan Good" in shown


@pytest.mark.parametrize(
    "args, message",
    [
        (["--section", "3.9"], "no section '3.9' in this deck; its sections are 3.1, 3.2"),
        (["--tag", "lstn"], "no card is tagged 'lstn'; did you mean lstm?"),
        (["--deck", "missing-folder"], "missing-folder: no such file or folder"),
    ],
)
def test_bad_selections_are_usage_errors(run, args, message):
    result = run("quiz", *args)
    assert result.exit_code == 2
    assert message in " ".join(result.output.split())
    assert "Traceback" not in result.output


def test_a_malformed_user_deck_names_file_and_line_and_keeps_the_other_cards(run, tmp_path):
    deck = write(tmp_path, {"notes.md": "good one::yes\nbroken::\nalso good::fine\n"}) / "notes.md"
    result = run("quiz", "--deck", str(deck), input="4\n4\n")
    assert result.exit_code == 0
    assert "notes.md:2: Q::A card needs text on both sides (skipped)" in result.stderr
    assert "Reviewed 2 cards" in result.stdout and "good one" in result.stdout and "also good" in result.stdout


def test_a_user_card_named_like_a_shipped_one_has_its_own_history(run, db, tmp_path):
    notes = write(tmp_path / "notes", {"dl.md": "## sigmoid-formula\nQ: my wording\nA: mine\n"})
    run("quiz", "--deck", str(notes), input="4\n")
    assert set(_states(db)) == {"notes/dl.md/sigmoid-formula"}
    assert "new: not reviewed yet" in run("cards", "show", "sigmoid-formula").output


def _from_the_future(database):
    with sqlite3.connect(database) as conn:  # as a newer dlprep would leave it: WAL, schema 99
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA user_version = 99")
    conn.close()


@pytest.mark.parametrize(
    "damage, message",
    [
        (lambda db: db.write_bytes(b"this is not a database" * 100), "is not a readable dlprep database"),
        (_from_the_future, "written by a newer dlprep"),
    ],
)
def test_a_corrupt_or_newer_database_is_reported_and_left_untouched(run, damage, message):
    database = paths.database()
    database.parent.mkdir(parents=True)
    damage(database)
    before = database.read_bytes()
    for command in (["quiz"], ["stats"], ["drill"], ["cards", "show", DECK.cards[0].id]):
        result = run(*command, input="")
        assert result.exit_code == 1, command
        assert message in " ".join(result.stderr.split())
        assert "Traceback" not in result.output
    assert database.read_bytes() == before


def _read_until(process: subprocess.Popen, text: str, times: int = 1) -> str:
    seen = ""
    while seen.count(text) < times:
        line = process.stdout.readline()
        assert line, f"dlprep ended before printing {text!r}:\n{seen}"
        seen += line
    return seen


def test_ctrl_c_ends_with_the_summary_and_keeps_every_rating(tmp_path):
    process = subprocess.Popen(
        [*DLPREP, "quiz"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
        env=subprocess_env(),
    )
    process.stdin.write("3\n1\n")
    process.stdin.flush()
    _read_until(process, " new ─╯", times=3)  # the third question is on screen
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=20)
    assert process.returncode == 130, err
    assert "Reviewed 2 cards" in out and "Traceback" not in err
    with sqlite3.connect(paths.database()) as conn:
        assert conn.execute("SELECT COUNT(*) FROM reviews").fetchone()[0] == 2
        assert conn.execute("SELECT COUNT(*) FROM schedule").fetchone()[0] == 2


def test_two_sessions_at_once_lose_nothing(tmp_path):
    runs = [
        subprocess.Popen(
            [*DLPREP, "quiz", "--section", section, "--limit", "10"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
            env=subprocess_env(),
        )
        for section in ("3.2", "3.3")
    ]
    results = [process.communicate("4\n" * 10, timeout=60) for process in runs]
    assert [process.returncode for process in runs] == [0, 0], results
    with sqlite3.connect(paths.database()) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT COUNT(*) FROM reviews").fetchone()[0] == 20
        assert conn.execute("SELECT COUNT(DISTINCT item) FROM schedule").fetchone()[0] == 20


def _expect(fd: int, text: str, buffer: list[str], timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while text not in buffer[0]:
        ready, _, _ = select.select([fd], [], [], max(0, deadline - time.monotonic()))
        assert ready, f"no {text!r} on the terminal:\n{buffer[0]}"
        try:
            buffer[0] += os.read(fd, 4096).decode(errors="replace")
        except OSError:  # the terminal closed: dlprep exited
            raise AssertionError(f"dlprep exited before {text!r}:\n{buffer[0]}") from None
    buffer[0] = buffer[0][buffer[0].index(text) + len(text) :]


def test_in_a_terminal_single_keys_reveal_rate_repeat_and_ctrl_c_ends(tmp_path):
    pty = pytest.importorskip("pty")
    pid, fd = pty.fork()
    if pid == 0:  # the child: dlprep on the new terminal
        os.execve(DLPREP[0], [*DLPREP, "quiz", "--limit", "2"], {**subprocess_env(), "TERM": "dumb"})
    buffer = [""]
    try:
        _expect(fd, "space or enter: show the answer", buffer)
        assert "answer" not in buffer[0]
        os.write(fd, b"x")  # not a key the question prompt knows: nothing happens
        os.write(fd, b" ")
        _expect(fd, "1 again <1m · 2 hard 6m · 3 good 10m · 4 easy", buffer)
        os.write(fd, b"g")
        _expect(fd, "Good: next review in 10 min", buffer)
        _expect(fd, "space or enter", buffer)
        os.write(fd, b"\r")
        _expect(fd, "1 again", buffer)
        os.write(fd, b"1")
        _expect(fd, "Again: next review in 1 min", buffer)
        # Both cards are in learning: the session goes on with them, the other one first.
        _expect(fd, f"╭─ {DECK.cards[0].id} ", buffer)
        _expect(fd, "space or enter", buffer)
        os.write(fd, b"\x03")  # Ctrl-C
        _expect(fd, "Reviewed 2 cards", buffer)
    except BaseException:
        os.kill(pid, signal.SIGKILL)
        raise
    finally:
        _, status = os.waitpid(pid, 0)
        os.close(fd)
    assert os.waitstatus_to_exitcode(status) == 130
    with sqlite3.connect(paths.database()) as conn:
        assert conn.execute("SELECT COUNT(*) FROM reviews").fetchone()[0] == 2
