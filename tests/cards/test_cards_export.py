"""`dlprep cards export`: an Anki package Anki can open, and CSV its importer reads."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import zipfile

import genanki
import pytest

from dlprep.cards.deck import load
from dlprep.cards.export import CSV_HEADER, MODEL_ID, to_html

from .conftest import write

DECK = load()


def _collection(apkg, tmp_path) -> sqlite3.Connection:
    with zipfile.ZipFile(apkg) as package:
        assert "collection.anki2" in package.namelist()
        package.extract("collection.anki2", tmp_path / apkg.stem)
    return sqlite3.connect(tmp_path / apkg.stem / "collection.anki2")


def _notes(apkg, tmp_path) -> dict[str, tuple[str, list[str], str]]:
    """key -> (guid, fields, tags) of every note in the package."""
    with _collection(apkg, tmp_path) as conn:
        rows = conn.execute("SELECT guid, flds, tags FROM notes").fetchall()
    return {flds.split("\x1f")[2]: (guid, flds.split("\x1f"), tags) for guid, flds, tags in rows}


def test_anki_export_holds_every_card_with_stable_guids(run, tmp_path):
    first, second = tmp_path / "first.apkg", tmp_path / "second.apkg"
    assert run("cards", "export", "--anki", str(first)).exit_code == 0
    result = run("cards", "export", "--anki", str(second))
    assert result.exit_code == 0 and f"Wrote {len(DECK.cards)} cards to" in result.stderr

    notes, again = _notes(first, tmp_path), _notes(second, tmp_path)
    assert len(notes) == len(DECK.cards)
    assert {key: note[0] for key, note in notes.items()} == {key: note[0] for key, note in again.items()}
    card = next(card for card in DECK.cards if card.kata and card.tags and not set("<>&$`\n") & set(card.answer))
    guid, fields, tags = notes[card.key]
    # The shipped deck's GUIDs are those of its first exports: namespace "dlprep", then the id.
    assert guid == genanki.guid_for("dlprep", card.id)
    assert fields == [card.question, card.answer, card.key, card.section, card.kata]
    assert set(tags.split()) == set(card.tags)
    with _collection(first, tmp_path) as conn:
        assert {mid for (mid,) in conn.execute("SELECT mid FROM notes")} == {MODEL_ID}
        names = {deck["name"] for deck in json.loads(conn.execute("SELECT decks FROM col").fetchone()[0]).values()}
        assert {f"dlprep::{s} {DECK.titles[s]}" for s in DECK.sections()} <= names
        assert conn.execute("SELECT COUNT(*) FROM cards").fetchone()[0] == len(DECK.cards)


def test_an_obsidian_cards_guid_survives_rewording_when_it_has_a_block_id(run, tmp_path):
    note = tmp_path / "notes" / "optim.md"
    guids = []
    for question in ("What does Adam combine?", "Adam is made of which two ideas?"):
        write(tmp_path / "notes", {"optim.md": f"{question}::momentum and RMSprop ^adam\n"})
        assert run("cards", "export", "--deck", str(note), "--anki", str(tmp_path / "o.apkg")).exit_code == 0
        ((guid, fields, _),) = _notes(tmp_path / "o.apkg", tmp_path).values()
        guids.append(guid)
        assert fields[0] == question
    assert guids[0] == guids[1] == genanki.guid_for("notes/optim.md", "adam")


@pytest.mark.parametrize(
    "text, html",
    [
        ("a < b & c", "a &lt; b &amp; c"),
        ("line one\nline two", "line one<br>line two"),
        ("inline $\\sigma(z)$ and $$\\sum_i x_i$$", "inline \\(\\sigma(z)\\) and \\[\\sum_i x_i\\]"),
        ("costs $5 and $6", "costs $5 and $6"),  # prices are not math
        ("call `f(x<1)`", "call <code>f(x&lt;1)</code>"),
        ("`$not math$`", "<code>$not math$</code>"),
        ("Code:\n```python\nif a < b:\n    pass\n```\nafter",
         'Code:<pre><code class="language-python">if a &lt; b:\n    pass</code></pre>after'),
    ],
)
def test_card_text_becomes_anki_html(text, html):
    assert to_html(text) == html


def test_html_math_and_code_reach_the_package(tmp_path, run):
    deck = write(tmp_path, {"html.md": "Is <b>this</b> bold?::No: a < b & $x^2$\n"}) / "html.md"
    assert run("cards", "export", "--deck", str(deck), "--anki", str(tmp_path / "h.apkg")).exit_code == 0
    ((_, fields, _),) = _notes(tmp_path / "h.apkg", tmp_path).values()
    assert fields[:2] == ["Is &lt;b&gt;this&lt;/b&gt; bold?", "No: a &lt; b &amp; \\(x^2\\)"]


def _read_csv(text: str) -> tuple[list[str], list[list[str]]]:
    lines = text.splitlines()
    header = [line for line in lines if line.startswith("#")]
    return header, list(csv.reader(io.StringIO("\n".join(line for line in lines if not line.startswith("#")))))


def test_csv_is_what_ankis_importer_reads(run, tmp_path):
    target = tmp_path / "rnn.csv"
    assert run("cards", "export", "--csv", str(target), "--section", "3.3").exit_code == 0
    text = target.read_text(encoding="utf-8")
    header, rows = _read_csv(text)
    assert header == list(CSV_HEADER)
    # Anki skips lines that start with `#`: quoted fields keep a GUID like "#a1..." a note.
    assert all(line.startswith('"') for line in text.splitlines()[len(CSV_HEADER) :])
    assert "#separator:Comma" in header and "#html:true" in header and "#tags column:5" in header
    cards = [card for card in DECK.cards if card.section == "3.3"]
    assert [row[0] for row in rows] == [genanki.guid_for("dlprep", card.id) for card in cards]
    assert [(row[1], row[2]) for row in rows] == [(to_html(c.question), to_html(c.answer)) for c in cards]
    assert {row[3] for row in rows} == {f"dlprep::3.3 {DECK.titles['3.3']}"}
    # Tags separated by spaces; Obsidian's nested tags become Anki's.
    assert rows[0][4] == " ".join(cards[0].tags)
    notes = write(tmp_path, {"n.md": "#flashcards/dl/rnn #to_do\nWhat is BPTT?::backprop through time\n"})
    assert run("cards", "export", "--csv", str(tmp_path / "n.csv"), "--deck", str(notes / "n.md")).exit_code == 0
    (row,) = _read_csv((tmp_path / "n.csv").read_text(encoding="utf-8"))[1]
    assert row[4] == "flashcards::dl::rnn to_do"


def test_csv_to_stdout(run):
    result = run("cards", "export", "--csv", "-", "--section", "3.6")
    assert result.exit_code == 0
    header, rows = _read_csv(result.stdout)
    assert header == list(CSV_HEADER) and len(rows) == sum(card.section == "3.6" for card in DECK.cards)
    assert "Wrote" not in result.stdout


@pytest.mark.parametrize(
    "args, message",
    [
        (["--anki", "deck.txt"], "--anki writes .apkg files: name it deck.apkg"),
        (["--csv", "deck.apkg"], "--csv writes .csv files: name it deck.csv"),
        ([], "say where to write: --anki FILE.apkg and/or --csv FILE.csv"),
    ],
)
def test_export_refuses_a_target_it_would_write_wrongly(run, tmp_path, args, message):
    result = run("cards", "export", *args)
    assert result.exit_code == 2 and message in " ".join(result.stderr.split())
    assert not list(tmp_path.glob("deck.*"))


def test_an_unwritable_target_is_an_error_not_a_traceback(run, tmp_path):
    result = run("cards", "export", "--csv", str(tmp_path / "no" / "such" / "dir.csv"))
    assert result.exit_code == 1 and "cannot write" in result.stderr and "Traceback" not in result.output
