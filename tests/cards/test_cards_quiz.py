"""`dlprep quiz` as a learner uses it: scripted through stdin, in a terminal, interrupted."""

from __future__ import annotations

import os
import random
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

from .conftest import DAY, DLPREP, T0, subprocess_env

DECK = load()
FIRST_TEN = DECK.cards[:10]


def _shown(output: str) -> list[str]:
    """Ids of the cards whose question panel the output shows, in order."""
    return [card.id for line in output.splitlines() for card in DECK.cards if line.startswith(f"╭─ {card.id} ")]


def test_a_scripted_session_rates_cards_and_changes_their_schedule(run, db):
    random.seed(1)
    result = run("quiz", "--limit", "3", input="3\n1\n4\n")
    assert result.exit_code == 0, result.output
    assert _shown(result.output) == [card.id for card in DECK.cards[:3]]
    assert DECK.cards[0].question.split()[0] in result.output
    assert "Reviewed 3 cards · again-rate 33% (1 again)" in result.output
    good, again, easy = (schedule.load_states(db)[card.id] for card in DECK.cards[:3])
    assert (good.state, good.due) == (State.Learning, T0 + timedelta(minutes=10))
    assert (again.state, again.due) == (State.Learning, T0 + timedelta(minutes=1))
    assert easy.state == State.Review and timedelta(days=7) <= easy.due - T0 <= timedelta(days=9)
    assert "Due now: 0 · within 24 h: 2 · next in 1 min (Mon 07 Jan" in result.output


def test_the_end_of_input_ends_the_session_with_a_summary(run, db):
    result = run("quiz", input="g\n")
    assert result.exit_code == 0, result.output
    assert len(_shown(result.output)) == 2  # the second question was shown, then input ended
    assert "Reviewed 1 card · again-rate 0%" in result.output
    assert len(schedule.reviews(db)) == 1


def test_unknown_ratings_are_explained_and_q_quits(run, db):
    result = run("quiz", input="\nmaybe\ne\nq\n")
    assert result.exit_code == 0
    assert result.output.count("Type a rating: 1/a again") == 2
    assert [r.rating.name for r in schedule.reviews(db)] == ["Easy"]


def test_next_day_the_cards_not_yet_learnt_are_due_first(run, db):
    ratings = ["3", "1", "4", "3", "2", "4", "3", "1", "4", "3"]
    first = run("quiz", input="\n".join(ratings) + "\n")
    assert first.exit_code == 0 and _shown(first.output) == [card.id for card in FIRST_TEN]

    # Same day, an hour later: the ten learning cards are due again, no new card before them.
    later = run("quiz", "--new", "0", input="", at=T0 + timedelta(hours=1))
    assert _shown(later.output) == [FIRST_TEN[1].id]  # input ended after the first

    next_day = run("quiz", input="", at=T0 + DAY)
    not_easy = [card.id for card, rating in zip(FIRST_TEN, ratings) if rating != "4"]
    assert "Due now: 7 · within 24 h: 7 · next in " in next_day.output  # the Easy ones, fuzzed
    assert "No card rated." in next_day.output
    again = run("quiz", "--new", "2", input="3\n" * 9, at=T0 + DAY)
    shown = _shown(again.output)
    # Most overdue first: the cards rated Again (due after 1 min), then Hard/Good ones.
    assert set(shown[:7]) == set(not_easy) and shown[:2] == [FIRST_TEN[1].id, FIRST_TEN[7].id]
    assert shown[7:] == [card.id for card in DECK.cards[10:12]]
    assert "Reviewed 9 cards" in again.output


def test_filters_pick_the_cards(run):
    result = run("quiz", "--section", "3.4", "--tag", "attention", "--limit", "2", input="")
    ids = _shown(result.output)
    assert ids and all(
        card.section == "3.4" and "attention" in card.tags for card in DECK.cards if card.id in ids
    )


def test_cram_goes_through_cards_without_touching_the_schedule(run, db):
    run("quiz", "--limit", "1", input="3\n")
    before = schedule.load_states(db)
    result = run("quiz", "--cram", "--limit", "3", input="1\n1\n1\n")
    assert result.exit_code == 0
    assert _shown(result.output) == [card.id for card in DECK.cards[:3]]
    assert "Crammed 3 cards" in result.output and "schedule was not changed" in result.output
    assert schedule.load_states(db) == before
    assert [r.cram for r in schedule.reviews(db)] == [False, True, True, True]


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
    deck = tmp_path / "notes.md"
    deck.write_text("good one::yes\nbroken::\nalso good::fine\n", encoding="utf-8")
    result = run("quiz", "--deck", str(deck), input="3\n3\n")
    assert result.exit_code == 0
    assert "notes.md:2: Q::A card needs text on both sides (skipped)" in result.stderr
    assert "Reviewed 2 cards" in result.stdout and "good one" in result.stdout and "also good" in result.stdout


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
    _read_until(process, "more queued", times=3)  # the third question is on screen
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=20)
    assert process.returncode == 130, err
    assert "Reviewed 2 cards" in out and "Traceback" not in err
    with sqlite3.connect(paths.database()) as conn:
        assert conn.execute("SELECT COUNT(*) FROM card_reviews").fetchone()[0] == 2
        assert conn.execute("SELECT COUNT(*) FROM card_schedule").fetchone()[0] == 2


def test_two_sessions_at_once_lose_nothing(tmp_path):
    runs = [
        subprocess.Popen(
            [*DLPREP, "quiz", "--section", section, "--new", "10"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
            env=subprocess_env(),
        )
        for section in ("3.2", "3.3")
    ]
    results = [process.communicate("3\n" * 10, timeout=60) for process in runs]
    assert [process.returncode for process in runs] == [0, 0], results
    with sqlite3.connect(paths.database()) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT COUNT(*) FROM card_reviews").fetchone()[0] == 20
        assert conn.execute("SELECT COUNT(DISTINCT card_id) FROM card_schedule").fetchone()[0] == 20


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


def test_in_a_terminal_single_keys_reveal_rate_and_ctrl_c_ends(tmp_path):
    pty = pytest.importorskip("pty")
    pid, fd = pty.fork()
    if pid == 0:  # the child: dlprep on the new terminal
        os.execve(DLPREP[0], [*DLPREP, "quiz"], {**subprocess_env(), "TERM": "dumb"})  # no colour codes
    buffer = [""]
    try:
        _expect(fd, "space or enter: show the answer", buffer)
        assert "answer" not in buffer[0]
        os.write(fd, b"x")  # not a key the question prompt knows: nothing happens
        os.write(fd, b" ")
        _expect(fd, "1/a again", buffer)
        os.write(fd, b"g")
        _expect(fd, "Good: next review in 10 min", buffer)
        _expect(fd, "space or enter", buffer)
        os.write(fd, b"\r")
        _expect(fd, "1/a again", buffer)
        os.write(fd, b"1")
        _expect(fd, "Again: next review in 1 min", buffer)
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
        assert conn.execute("SELECT COUNT(*) FROM card_reviews").fetchone()[0] == 2
