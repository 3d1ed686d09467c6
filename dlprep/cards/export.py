"""Cards out of dlprep: an Anki package, or CSV for anything else."""

from __future__ import annotations

import csv
import hashlib
import html
from pathlib import Path

from dlprep.cards.model import Card

# Anki recognises a re-imported note type and deck by these ids, and a note by its GUID
# (derived from the card id): keeping all three fixed makes a re-export update the
# learner's existing notes, with their Anki review history, instead of duplicating them.
MODEL_ID = 1_739_204_117
GUID_NAMESPACE = "dlprep"
CSV_FIELDS = ("id", "section", "question", "answer", "tags", "kata", "source")

_CSS = """.card { font-family: sans-serif; font-size: 20px; text-align: left; }
.dlprep { white-space: pre-wrap; }"""


def _deck_id(section: str) -> int:
    return int(hashlib.sha1(f"dlprep deck {section}".encode()).hexdigest()[:8], 16)


def _html(text: str) -> str:
    # Card text is plain text with meaningful line breaks and indentation (code);
    # the note type's `pre-wrap` keeps both.
    return html.escape(text, quote=False)


def to_anki(cards: list[Card], titles: dict[str, str], path: Path) -> None:
    """Write an .apkg with one sub-deck per section (`dlprep::3.4 Attention & Transformers`)."""
    import genanki  # only export needs it, and it takes ~0.1 s to import

    model = genanki.Model(
        MODEL_ID,
        "dlprep card",
        fields=[{"name": name} for name in ("Question", "Answer", "Id", "Section", "Kata")],
        templates=[
            {
                "name": "Card 1",
                "qfmt": '<div class="dlprep">{{Question}}</div>',
                "afmt": '{{FrontSide}}<hr id="answer"><div class="dlprep">{{Answer}}</div>',
            }
        ],
        css=_CSS,
    )
    decks: dict[str, genanki.Deck] = {}
    for card in cards:
        if card.section not in decks:
            name = " ".join(filter(None, (card.section, titles.get(card.section))))
            decks[card.section] = genanki.Deck(_deck_id(card.section), f"dlprep::{name}")
        decks[card.section].add_note(
            genanki.Note(
                model=model,
                fields=[_html(card.question), _html(card.answer), card.id, card.section, card.kata or ""],
                tags=[tag.replace(" ", "_") for tag in card.tags],
                guid=genanki.guid_for(GUID_NAMESPACE, card.id),
            )
        )
    genanki.Package(list(decks.values())).write_to_file(str(path))


def to_csv(cards: list[Card], path: Path) -> None:
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.DictWriter(file, fieldnames=CSV_FIELDS)
        writer.writeheader()
        for card in cards:
            row = card.to_dict()
            writer.writerow({field: row[field] or "" for field in CSV_FIELDS} | {"tags": ", ".join(card.tags)})
