"""`dlprep cards list/show/export`: cards as data, and an Anki package that Anki can open."""

from __future__ import annotations

import csv
import json
import sqlite3
import zipfile

import genanki

from dlprep.cards.deck import load
from dlprep.cards.export import GUID_NAMESPACE, MODEL_ID

DECK = load()


def _collection(apkg, tmp_path) -> sqlite3.Connection:
    with zipfile.ZipFile(apkg) as package:
        assert "collection.anki2" in package.namelist()
        package.extract("collection.anki2", tmp_path / apkg.stem)
    return sqlite3.connect(tmp_path / apkg.stem / "collection.anki2")


def test_anki_export_holds_every_card_with_stable_guids(run, tmp_path):
    first, second = tmp_path / "first.apkg", tmp_path / "second.apkg"
    assert run("cards", "export", "--anki", str(first)).exit_code == 0
    result = run("cards", "export", "--anki", str(second))
    assert result.exit_code == 0 and f"Wrote {len(DECK.cards)} cards to" in result.output

    with _collection(first, tmp_path) as a, _collection(second, tmp_path) as b:
        notes = a.execute("SELECT guid, mid, flds, tags FROM notes").fetchall()
        assert len(notes) == len(DECK.cards)
        assert sorted(a.execute("SELECT guid FROM notes")) == sorted(b.execute("SELECT guid FROM notes"))
        by_id = {flds.split("\x1f")[2]: (guid, mid, flds.split("\x1f"), tags) for guid, mid, flds, tags in notes}
        card = next(card for card in DECK.cards if card.kata and "<" not in card.answer and card.tags)
        guid, mid, fields, tags = by_id[card.id]
        assert guid == genanki.guid_for(GUID_NAMESPACE, card.id)
        assert mid == MODEL_ID
        assert fields == [card.question, card.answer, card.id, card.section, card.kata]
        assert set(tags.split()) == set(card.tags)
        decks = json.loads(a.execute("SELECT decks FROM col").fetchone()[0])
        names = {deck["name"] for deck in decks.values()}
        assert {f"dlprep::{s} {DECK.titles[s]}" for s in DECK.sections()} <= names
        assert a.execute("SELECT COUNT(*) FROM cards").fetchone()[0] == len(DECK.cards)


def test_html_in_card_text_is_escaped_for_anki(tmp_path, run):
    deck = tmp_path / "html.md"
    deck.write_text("Is <b>this</b> bold?::No: a < b & c\n", encoding="utf-8")
    assert run("cards", "export", "--deck", str(deck), "--anki", str(tmp_path / "h.apkg")).exit_code == 0
    with _collection(tmp_path / "h.apkg", tmp_path) as conn:
        (fields,) = conn.execute("SELECT flds FROM notes").fetchone()
    assert fields.split("\x1f")[:2] == ["Is &lt;b&gt;this&lt;/b&gt; bold?", "No: a &lt; b &amp; c"]


def test_csv_export_round_trips_the_cards(run, tmp_path):
    target = tmp_path / "rnn.csv"
    assert run("cards", "export", "--csv", str(target), "--section", "3.3").exit_code == 0
    with target.open(encoding="utf-8", newline="") as file:
        rows = list(csv.DictReader(file))
    cards = [card for card in DECK.cards if card.section == "3.3"]
    assert [row["id"] for row in rows] == [card.id for card in cards]
    assert [(row["question"], row["answer"]) for row in rows] == [(c.question, c.answer) for c in cards]
    assert rows[0]["tags"] == ", ".join(cards[0].tags)


def test_export_needs_a_target_and_a_writable_one(run, tmp_path):
    result = run("cards", "export")
    assert result.exit_code == 2 and "--anki FILE.apkg and/or --csv FILE.csv" in result.stderr
    result = run("cards", "export", "--csv", str(tmp_path / "no" / "such" / "dir.csv"))
    assert result.exit_code == 1 and "cannot write" in result.stderr and "Traceback" not in result.output


def test_list_json_has_the_card_fields(run):
    result = run("cards", "list", "--json", "--tag", "lstm", "--search", "forget")
    assert result.exit_code == 0
    cards = json.loads(result.stdout)
    assert cards and all({"id", "section", "tags", "question", "answer"} <= set(card) for card in cards)
    assert all("lstm" in card["tags"] and "forget" in json.dumps(card, ensure_ascii=False).lower() for card in cards)
    assert all(card["section"] in DECK.sections() for card in cards)


def test_list_table_and_filters(run):
    result = run("cards", "list", "--section", "3.2")
    lines = result.stdout.splitlines()
    expected = [card for card in DECK.cards if card.section == "3.2"]
    assert lines[-1] == f"{len(expected)} cards"
    assert [line.split()[0] for line in lines[1:-1]] == [card.id for card in expected]
    assert run("cards", "list", "--search", "no card says this").stdout.strip().endswith("0 cards")


def test_show_prints_the_card_and_its_schedule(run):
    card = next(card for card in DECK.cards if card.kata)
    fresh = run("cards", "show", card.id)
    assert fresh.exit_code == 0
    assert card.question.split()[0] in fresh.stdout and f"dlprep exercise {card.kata}" in fresh.stdout
    assert "new: not reviewed yet" in fresh.stdout
    assert f"{card.file}:{card.line}" in fresh.stdout

    index = DECK.cards.index(card)
    run("quiz", "--new", str(index + 1), input="3\n" * (index + 1))
    reviewed = run("cards", "show", card.id)
    assert "Learning, due in 10 min" in reviewed.stdout and "reviews   1: 07 Jan Good" in reviewed.stdout


def test_show_unknown_id_suggests_near_ones(run):
    result = run("cards", "show", "sigmoid-derivativ")
    assert result.exit_code == 2
    assert "no card with id 'sigmoid-derivativ'; did you mean sigmoid-derivative" in " ".join(result.stderr.split())
