"""What a flashcard is, independent of where it was read from or how it is scheduled."""

from __future__ import annotations

import difflib
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Iterable, Sequence

# The shipped deck's namespace: its cards' keys are `dlprep/<id>`.
SHIPPED_DECK = "dlprep"


def tag_matches(tag: str, wanted: str) -> bool:
    """Tags are hierarchical, as in Obsidian: `flashcards` matches `flashcards/dl` too."""
    return tag == wanted or tag.startswith(wanted + "/")


def namespace_of(key: str) -> str:
    """The deck namespace of a card key: `notes/rnn.md` for `notes/rnn.md/lstm-gates` (ids hold no `/`)."""
    return key.rpartition("/")[0]


@dataclass(frozen=True)
class Card:
    """One question and its answer.

    `id` names the card within its deck: shipped cards name it in their `## id` heading,
    Obsidian cards take a block id (`^id`) or an id derived from their file name and
    question (see `deck.derived_id`). `deck` is the namespace the card's history lives
    under, so `key` ("deck/id") is what the schedule and the review log remember, and only
    the same card of the same deck shares a history.
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
    deck: str = SHIPPED_DECK
    # Ids of the short cards that ask, one by one, the points of a long (interview) answer.
    parts: tuple[str, ...] = ()
    # Obsidian Spaced Repetition's schedule for this card ("2026-12-01,3,250"), if the note has one.
    sr_schedule: str | None = None

    @property
    def key(self) -> str:
        return f"{self.deck}/{self.id}"

    @property
    def location(self) -> str:
        return f"{self.file}:{self.line}"

    def has_tag(self, wanted: str) -> bool:
        return any(tag_matches(tag, wanted) for tag in self.tags)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["tags"] = list(self.tags)
        data["parts"] = list(self.parts)
        data["key"] = self.key
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Card:
        fields = {name: value for name, value in data.items() if name != "key"}
        return cls(**{**fields, "tags": tuple(data.get("tags", ())), "parts": tuple(data.get("parts", ()))})


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
    # Namespaces this deck owns: its files' own, and the folder prefix ("notes/") under which a
    # deleted file's cards would have lived. `cards prune` only judges histories under them.
    namespaces: set[str] = field(default_factory=set)
    prefixes: set[str] = field(default_factory=set)

    def extend(self, other: Deck) -> None:
        self.cards.extend(other.cards)
        self.problems.extend(other.problems)
        for section, title in other.titles.items():
            self.titles.setdefault(section, title)
        self.namespaces |= other.namespaces
        self.prefixes |= other.prefixes

    def owns(self, key: str) -> bool:
        """Whether a card key belongs to this deck's namespaces, whether or not the card still exists."""
        namespace = namespace_of(key)
        return namespace in self.namespaces or any(namespace.startswith(prefix) for prefix in self.prefixes)

    def name_of(self, card: Card) -> str:
        """The name to type for a card: its id, or its key when another card of the deck has the id too."""
        return card.id if sum(other.id == card.id for other in self.cards) == 1 else card.key

    def sections(self) -> list[str]:
        """Sections in the order their first card appears."""
        return list(dict.fromkeys(card.section for card in self.cards))

    def tag_counts(self) -> Counter[str]:
        return Counter(tag for card in self.cards for tag in card.tags)

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
            if not any(card.has_tag(tag) for card in self.cards):
                raise FilterError(f"no card is tagged {tag!r}{_hint(tag, self.tag_counts(), 'tags')}")
        if tags:
            cards = [card for card in cards if any(card.has_tag(tag) for tag in tags)]
        if search:
            needle = search.casefold()
            cards = [
                card
                for card in cards
                if any(needle in text.casefold() for text in (card.key, card.question, card.answer, *card.tags))
            ]
        return cards

    def find(self, name: str) -> Card:
        """The card with this key, or with this id when one card has it.

        Raises FilterError, suggesting near ids or listing the candidates, otherwise.
        """
        matches = [card for card in self.cards if name in (card.key, card.id)]
        if len(matches) == 1:
            return matches[0]
        if matches:
            keys = ", ".join(card.key for card in matches)
            raise FilterError(f"{len(matches)} cards have the id {name!r}: {keys}; name one by its key")
        known = [card.id for card in self.cards] + [card.key for card in self.cards]
        raise FilterError(f"no card with id {name!r}{_hint(name, known, 'ids')}")


def _hint(name: str, known: Iterable[str], what: str) -> str:
    close = difflib.get_close_matches(name, sorted(set(known)), n=3)
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
