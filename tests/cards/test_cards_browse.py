"""`dlprep cards list / tags / show`: the deck as a person reads it and as a script does."""

from __future__ import annotations

import json

from dlprep.cards.deck import load

from .conftest import write

DECK = load()


def test_list_json_has_the_card_fields(run):
    result = run("cards", "list", "--json", "--tag", "lstm", "--search", "forget")
    assert result.exit_code == 0
    cards = json.loads(result.stdout)
    assert cards and all({"id", "key", "deck", "section", "tags", "question", "answer"} <= set(card) for card in cards)
    assert all("lstm" in card["tags"] and "forget" in json.dumps(card, ensure_ascii=False).lower() for card in cards)
    assert all(card["key"] == f"dlprep/{card['id']}" for card in cards)


def test_list_table_shows_whole_ids_and_tags_at_80_columns(run, monkeypatch):
    for columns in ("80", "200"):
        monkeypatch.setenv("COLUMNS", columns)
        result = run("cards", "list", "--section", "3.4")
        lines = result.stdout.splitlines()
        expected = [card for card in DECK.cards if card.section == "3.4"]
        assert lines[-1] == f"{len(expected)} cards"
        rows = [line for line in lines[1:-1] if line and not line.startswith(" ")]
        assert [row.split()[0] for row in rows] == [card.id for card in expected]
        # Every tag in full: a long list wraps between tags (onto an indented line), never cut.
        words = {word.strip(",") for line in lines[1:-1] for word in line.split()}
        assert all(set(card.tags) <= words for card in expected), columns
        assert all(card.question.split()[0] in result.stdout for card in expected)
    assert run("cards", "list", "--search", "no card says this").stdout.strip().endswith("0 cards")


def test_tags_lists_every_tag_with_its_count(run):
    result = run("cards", "tags", "--json")
    counts = json.loads(result.stdout)
    expected = {tag: sum(tag in card.tags for card in DECK.cards) for card in DECK.cards for tag in card.tags}
    assert counts == expected and list(counts.values()) == sorted(counts.values(), reverse=True)
    table = run("cards", "tags").stdout.splitlines()
    assert table[-1] == f"{len(expected)} tags"
    assert {line.split()[0]: int(line.split()[1]) for line in table[1:-1]} == expected


def test_show_prints_the_card_and_its_schedule(run):
    card = next(card for card in DECK.cards if card.kata)
    fresh = run("cards", "show", card.id)
    assert fresh.exit_code == 0
    assert card.question.split()[0] in fresh.stdout and f"dlprep exercise {card.kata}" in fresh.stdout
    assert "new: not reviewed yet" in fresh.stdout and f"{card.file}:{card.line}" in fresh.stdout

    index = DECK.cards.index(card)
    run("quiz", "--limit", str(index + 1), input="3\n" * (index + 1))
    reviewed = " ".join(run("cards", "show", card.id).stdout.split())
    assert "Learning, due in 10 min" in reviewed and "reviews 1: 07 Jan Good" in reviewed


def test_show_json_has_the_card_its_schedule_and_its_ratings(run):
    card = DECK.cards[0]
    assert json.loads(run("cards", "show", card.id, "--json").stdout)["schedule"] is None
    run("quiz", "--limit", "1", input="4\n")
    run("quiz", "--cram", "--limit", "1", input="1\n3\n")
    data = json.loads(run("cards", "show", card.id, "--json").stdout)
    assert (data["id"], data["key"], data["question"]) == (card.id, card.key, card.question)
    assert data["schedule"]["state"] == "Review" and data["schedule"]["stability"] > 1
    assert [r["rating"] for r in data["reviews"]] == ["Easy"]
    assert [r["rating"] for r in data["crammed"]] == ["Again", "Good"]


def test_show_names_a_card_by_key_when_its_id_is_shared(run, tmp_path):
    notes = write(tmp_path / "notes", {"a.md": "## same\nQ: one\nA: 1\n", "b.md": "## same\nQ: two\nA: 2\n"})
    result = run("cards", "show", "same", "--deck", str(notes))
    assert result.exit_code == 2
    assert "2 cards have the id 'same': notes/a.md/same, notes/b.md/same" in " ".join(result.stderr.split())
    assert "two" in run("cards", "show", "notes/b.md/same", "--deck", str(notes)).stdout
    listed = run("cards", "list", "--deck", str(notes)).stdout
    assert "notes/a.md/same" in listed and "notes/b.md/same" in listed


def test_show_unknown_id_suggests_near_ones(run):
    result = run("cards", "show", "sigmoid-derivativ")
    assert result.exit_code == 2
    assert "no card with id 'sigmoid-derivativ'; did you mean sigmoid-derivative" in " ".join(result.stderr.split())
