"""What a flashcard is, independent of where it was read from or how it is scheduled."""

from __future__ import annotations

import difflib
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Iterable, Sequence


@dataclass(frozen=True)
class Card:
    """One question and its answer.

    `id` keys the review history, so it must survive edits of the text: shipped cards
    name it in their `## id` heading, user cards without one get an id derived from
    their file name and question (see `deck.derived_id`).
    """

    id: str
    section: str
    question: str
    answer: str
    tags: tuple[str, ...] = ()
    kata: str | None = None
    source: str | None = None
    file: str = ""
    line: int = 0

    @property
    def location(self) -> str:
        return f"{self.file}:{self.line}"

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["tags"] = list(self.tags)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Card:
        return cls(**{**data, "tags": tuple(data.get("tags", ()))})


@dataclass(frozen=True)
class DeckProblem:
    """A card that could not be read; the rest of its file still loads."""

    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


@dataclass
class Deck:
    cards: list[Card] = field(default_factory=list)
    problems: list[DeckProblem] = field(default_factory=list)
    # Section number -> the title its file's heading gives it ("3.4" -> "Attention & Transformers").
    titles: dict[str, str] = field(default_factory=dict)

    def extend(self, other: Deck) -> None:
        self.cards.extend(other.cards)
        self.problems.extend(other.problems)
        for section, title in other.titles.items():
            self.titles.setdefault(section, title)

    def sections(self) -> list[str]:
        """Sections in the order their first card appears."""
        return list(dict.fromkeys(card.section for card in self.cards))

    def select(
        self, *, section: str | None = None, tags: Sequence[str] = (), search: str | None = None
    ) -> list[Card]:
        """Cards of a section (`3` takes 3.1, 3.2, ...), with any of `tags`, containing `search`.

        Raises FilterError for a section or tag no card has, so a typo is not an empty quiz.
        """
        cards = self.cards
        if section is not None:
            cards = [c for c in cards if c.section == section or c.section.startswith(section + ".")]
            if not cards:
                known = ", ".join(sorted(self.sections(), key=section_key))
                raise FilterError(f"no section {section!r} in this deck; its sections are {known}")
        for tag in tags:
            if not any(tag in card.tags for card in self.cards):
                known = {t for card in self.cards for t in card.tags}
                raise FilterError(f"no card is tagged {tag!r}{_hint(tag, known, 'tags')}")
        if tags:
            cards = [card for card in cards if any(tag in card.tags for tag in tags)]
        if search:
            needle = search.casefold()
            cards = [
                card
                for card in cards
                if any(needle in text.casefold() for text in (card.id, card.question, card.answer, *card.tags))
            ]
        return cards

    def find(self, card_id: str) -> Card:
        """The card with this id; raises FilterError, suggesting near ids, when there is none."""
        for card in self.cards:
            if card.id == card_id:
                return card
        known = [card.id for card in self.cards]
        raise FilterError(f"no card with id {card_id!r}{_hint(card_id, known, 'ids')}")


def _hint(name: str, known: Iterable[str], what: str) -> str:
    close = difflib.get_close_matches(name, sorted(known), n=3)
    return f"; did you mean {', '.join(close)}?" if close else f"; `dlprep cards list` shows the {what}"


class FilterError(ValueError):
    """A selection that names something the deck does not have."""


def section_key(section: str) -> tuple:
    """Sort "3.10" after "3.9", and named sections after numbered ones."""
    parts = section.split(".")
    if all(part.isdigit() for part in parts):
        return (0, tuple(int(part) for part in parts))
    return (1, section)


def display_path(path: Path) -> str:
    """Paths in messages: relative to the working directory when under it, as people typed them."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
