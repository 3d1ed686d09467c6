"""Histories that outlive their cards (`cards prune`), and schedules brought over from Obsidian (`cards import-sr`)."""

from __future__ import annotations

from datetime import date, timedelta, timezone

import pytest
from fsrs import Rating, State

from dlprep.cards import days, schedule, srimport
from dlprep.cards.deck import load
from dlprep.cards.session import KIND

from .conftest import T0, write


def _keys(db) -> set[str]:
    return set(schedule.histories(db, KIND))


def test_prune_lists_then_removes_the_history_of_deleted_or_renamed_cards(run, db, tmp_path):
    notes = write(tmp_path / "notes", {"a.md": "Kept?::yes\nRenamed?::yes\n", "b.md": "Deleted file?::yes\n"})
    run("quiz", "--deck", str(notes), input="4\n4\n4\n")
    run("quiz", input="4\n")  # a shipped card: never an orphan
    elsewhere = write(tmp_path / "other", {"c.md": "Another deck?::yes\n"})
    run("quiz", "--deck", str(elsewhere), input="4\n")
    write(tmp_path / "notes", {"a.md": "Kept?::yes\nRenamed, reworded?::yes\n"})
    (tmp_path / "notes" / "b.md").unlink()
    before = _keys(db)

    listed = run("cards", "prune", "--deck", str(notes), input="n\n")
    out = " ".join(listed.output.split())
    still_there = {card.key for card in load(notes).cards}
    gone = {key for key in before if key.startswith("notes/")} - still_there
    assert len(gone) == 2 and all(key in out for key in gone)
    assert "The history of 1 card belongs to decks not given here (other/c.md); add --deck to check them." in out
    # Without a terminal and without --yes, nothing is removed.
    assert listed.exit_code == 2 and "--yes" in listed.stderr and _keys(db) == before

    removed = run("cards", "prune", "--deck", str(notes), "--yes")
    assert removed.exit_code == 0 and "Removed the history of 2 cards (2 ratings)." in removed.output
    assert _keys(db) == before - gone
    assert "nothing to prune" in run("cards", "prune", "--deck", str(notes), "--yes").output


def test_prune_asks_first_in_a_terminal(run, db, tmp_path, monkeypatch):
    notes = write(tmp_path / "notes", {"a.md": "Soon gone?::yes\n"})
    run("quiz", "--deck", str(notes), input="4\n")
    write(tmp_path / "notes", {"a.md": "Something else?::yes\n"})
    monkeypatch.setattr("dlprep.cli.cards.is_interactive", lambda: True)
    declined = run("cards", "prune", "--deck", str(notes), input="n\n")
    assert "Remove the history of 1 card? [y/N]" in declined.output and "Nothing removed." in declined.output
    assert len(_keys(db)) == 1
    assert "Removed the history of 1 card (1 rating)." in run("cards", "prune", "--deck", str(notes), input="y\n").output
    assert _keys(db) == set()


@pytest.mark.parametrize("interval, ease", [(3, 250), (30, 250), (30, 180), (100, 130), (200, 310)])
def test_an_sr_schedule_becomes_fsrs_state_that_goes_on_as_sm2_would(interval, ease):
    state = srimport.state(f"2026-12-01,{interval},{ease}", "item", 4)
    assert state.state == State.Review and state.stability == interval and 1 < state.difficulty < 10
    assert state.due == days.start_of(date(2026, 12, 1), 4).astimezone(timezone.utc)
    assert state.due - state.last_review == timedelta(days=interval)
    # A Good on the due date grows the interval by the ease, as the plugin's SM-2 would have.
    after = schedule.Scheduler(fuzz=False).next("item", state, Rating.Good, state.due)
    assert abs((after.due - state.due).days - interval * ease / 100) <= 1


def test_an_ease_beyond_what_fsrs_can_express_is_clamped():
    # A one-day card with SM-2's lowest ease would need a difficulty above FSRS's 10.
    assert srimport.state("2026-12-01,1,130", "item", 4).difficulty == 10.0


def test_import_sr_brings_over_the_plugins_schedules_once(run, db, tmp_path):
    vault = write(tmp_path / "vault", {
        ".obsidian/app.json": "{}",
        "DL.md": (
            "#flashcards\n"
            "Imported?::yes\n<!--SR:!2030-01-20,12,250-->\n"
            "Both ways:::two cards <!--SR:!2030-01-09,3,230!2030-01-30,25,270-->\n"
            "Never reviewed in Obsidian?::new\n"
            "Broken?::schedule\n<!--SR:!not-a-date,3,250-->\n"
        ),
    })
    result = run("cards", "import-sr", str(vault))
    assert result.exit_code == 0, result.output
    assert "Imported the schedule of 3 cards · 0 already scheduled by dlprep (kept) · 1 without one (new)" in (
        " ".join(result.output.split())
    )
    assert "DL.md:6: SR schedule 'not-a-date,3,250' is not date,interval,ease" in " ".join(result.stderr.split())
    deck = load(vault)
    states = schedule.load_states(db, KIND)
    imported = next(card for card in deck.cards if card.question == "Imported?")
    assert states[imported.key].due.date() == date(2030, 1, 20) and states[imported.key].stability == 12
    # Due dates carry over: on 2030-01-09 the card due that day is in the quiz, the others are not.
    quiz = run("quiz", "--deck", str(vault), "--new", "0", input="3\n", at=T0 + timedelta(days=2))
    assert "Both ways" in quiz.output and "Imported?" not in quiz.output
    # Once: a second import keeps what dlprep has since learnt.
    again = run("cards", "import-sr", str(vault))
    assert "Imported the schedule of 0 cards · 3 already scheduled by dlprep (kept)" in " ".join(again.output.split())
    assert (tmp_path / "vault" / "DL.md").read_text(encoding="utf-8").count("<!--SR:") == 3  # notes untouched
