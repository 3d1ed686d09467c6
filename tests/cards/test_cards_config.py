"""Flashcard settings: `dlprep cards config`, the file it writes, and what each setting changes."""

from __future__ import annotations

import pytest

from dlprep.cards import config

from .conftest import write


def test_defaults_without_a_file(run):
    assert config.load() == config.Settings(20, 4, ("flashcards",), ("highlight",))
    listed = " ".join(run("cards", "config").output.split())
    assert "new_per_day 20" in listed and "day_starts_at 4" in listed and "clozes highlight" in listed


def test_setting_a_value_keeps_the_others_and_reads_back(run):
    assert run("cards", "config", "new_per_day", "35").exit_code == 0
    assert run("cards", "config", "clozes", "highlight,bold").exit_code == 0
    assert run("cards", "config", "flashcard_tags", "#flashcards #dl").exit_code == 0
    assert config.load() == config.Settings(35, 4, ("flashcards", "dl"), ("highlight", "bold"))
    assert "new_per_day 35" in " ".join(run("cards", "config", "new_per_day").output.split())
    text = config.location().read_text(encoding="utf-8")
    assert "new_per_day = 35" in text and 'clozes = ["highlight", "bold"]' in text


@pytest.mark.parametrize(
    "key, value, message",
    [
        ("new_per_day", "-5", "new_per_day must be 0 or more"),
        ("new_per_day", "lots", "new_per_day must be a whole number"),
        ("day_starts_at", "24", "day_starts_at must be an hour from 0 to 23"),
        ("clozes", "underline", "clozes: unknown underline; the syntaxes are highlight, bold, curly"),
        ("new_cards", "3", "no setting 'new_cards'; the settings are new_per_day"),
    ],
)
def test_bad_values_are_refused_and_nothing_is_written(run, key, value, message):
    result = run("cards", "config", "--", key, value)  # `--`: "-5" is a value, not an option
    assert result.exit_code == 2 and message in " ".join(result.stderr.split())
    assert not config.location().exists()


def test_a_broken_file_is_named_in_the_error(run):
    config.location().parent.mkdir(parents=True)
    config.location().write_text("new_per_day = 'many'\n", encoding="utf-8")
    result = run("quiz", input="")
    assert result.exit_code == 2 and "config.toml: new_per_day must be a whole number" in " ".join(result.stderr.split())
    config.location().write_text("new_per_day = \n", encoding="utf-8")
    assert "is not valid TOML" in run("stats").stderr


def test_setting_a_value_repairs_a_bad_one(run):
    config.location().parent.mkdir(parents=True, exist_ok=True)
    config.location().write_text("new_per_day = -1\nday_starts_at = 6\n", encoding="utf-8")
    assert run("cards", "config").exit_code == 2
    result = run("cards", "config", "new_per_day", "20")
    assert result.exit_code == 0, result.output
    assert config.load() == config.Settings(20, 6, ("flashcards",), ("highlight",))


def test_cloze_settings_change_what_a_deck_holds(run, tmp_path):
    notes = write(tmp_path, {"n.md": "ReLU is **max(0, z)**, and GELU {{z·Φ(z)}}.\n"})
    assert "no card could be read" in " ".join(run("cards", "list", "--deck", str(notes)).stderr.split())  # prose by default
    run("cards", "config", "clozes", "bold,curly")
    assert run("cards", "list", "--deck", str(notes)).output.strip().endswith("2 cards")
