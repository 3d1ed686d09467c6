"""Reading decks: the guide's Markdown format and the Obsidian Spaced Repetition syntax.

A deck file looks like this (the shipped decks in `decks/` use only this part):

    # 3.1 Neural network fundamentals

    ## sigmoid-derivative
    tags: activations, backprop
    kata: activations

    Q: What is the derivative of the sigmoid?

    A: σ'(z) = σ(z)(1 − σ(z)), largest at z = 0.

A `## heading` block is a card when it has a `Q:` line; its heading is the card's id and
the answer runs to the next `## ` heading. Everything else in a file is read as Obsidian
Spaced Repetition notes: `Question::Answer`, `Question:::Answer` (a card each way), and
multi-line cards whose question and answer lines touch a line holding only `?` (or `??`
for both ways), ended by a blank line. A line of only `#tags` tags the cards after it.

Problems are collected per card, with file and line, so that one bad card never costs
the learner the rest of the deck.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from dlprep.cards.model import Card, Deck, DeckProblem, display_path

SHIPPED_DIR = Path(__file__).resolve().parent / "decks"
METADATA_KEYS = ("tags", "kata", "source")

_TITLE = re.compile(r"^#\s+(?:(\d+(?:\.\d+)*)\s+)?(.*\S)\s*$")
_CARD_HEADING = re.compile(r"^##\s+(.*?)\s*$")
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
_METADATA = re.compile(r"^([A-Za-z][\w-]*):\s*(.*?)\s*$")
_TAG_LINE = re.compile(r"^#[\w/-]+(?:\s+#[\w/-]+)*$")
_SR_COMMENT = re.compile(r"<!--SR:.*?-->")
_HEADING = re.compile(r"^#{1,6}\s")


class DeckError(Exception):
    """A deck that cannot be read at all (missing, unreadable, not text, no cards)."""


@dataclass
class _Line:
    number: int
    text: str
    fenced: bool  # inside a ``` code block (its closing line included): never markup


@dataclass
class _Parser:
    file: str
    section: str
    cards: list[Card] = field(default_factory=list)
    problems: list[DeckProblem] = field(default_factory=list)
    tags: tuple[str, ...] = ()

    def problem(self, line: int, message: str) -> None:
        self.problems.append(DeckProblem(self.file, line, message))

    def add(self, line: int, **fields) -> None:
        self.cards.append(Card(section=self.section, file=self.file, line=line, **fields))

    def native(self, heading: _Line, body: list[_Line]) -> None:
        card_id = _CARD_HEADING.match(heading.text).group(1)
        if not _ID.match(card_id):
            return self.problem(
                heading.number,
                f"card id {card_id!r} must be one word of letters, digits, '-', '_' or '.'",
            )
        metadata: dict[str, str] = {}
        rest = iter(body)
        for line in rest:
            if line.text.startswith("Q:"):
                break
            if not line.text.strip():
                continue
            match = _METADATA.match(line.text)
            if not match or match.group(1) not in METADATA_KEYS:
                return self.problem(
                    line.number,
                    f"card {card_id!r}: expected one of {', '.join(k + ':' for k in METADATA_KEYS)} "
                    f"or Q: before the question, got {line.text.strip()!r}",
                )
            metadata[match.group(1)] = match.group(2)
        question = [line.text[2:].strip()]
        answer: list[str] | None = None
        for line in rest:
            if answer is None and not line.fenced and line.text.startswith("A:"):
                answer = [line.text[2:].strip()]
            else:
                (question if answer is None else answer).append(line.text)
        if answer is None:
            return self.problem(heading.number, f"card {card_id!r} has a Q: but no A: line")
        question_text, answer_text = _block(question), _block(answer)
        if not question_text or not answer_text:
            missing = "question" if not question_text else "answer"
            return self.problem(heading.number, f"card {card_id!r} has an empty {missing}")
        self.add(
            heading.number,
            id=card_id,
            question=question_text,
            answer=answer_text,
            tags=_split_tags(metadata.get("tags", "")),
            kata=metadata.get("kata") or None,
            source=metadata.get("source") or None,
        )

    def obsidian(self, lines: list[_Line]) -> None:
        for paragraph in _paragraphs(lines):
            separator = next(
                (line for line in paragraph if not line.fenced and line.text.strip() in ("?", "??")),
                None,
            )
            if separator is not None:
                self.multi_line(paragraph, separator)
                continue
            for line in paragraph:
                text = line.text.strip()
                if line.fenced:
                    continue
                if _TAG_LINE.match(text):
                    self.tags = tuple(tag[1:] for tag in text.split())
                elif "::" in text:
                    self.single_line(line.number, text)

    def single_line(self, number: int, text: str) -> None:
        both_ways = ":::" in text
        front, _, back = text.partition(":::" if both_ways else "::")
        front, back = front.strip(), back.strip()
        if not front or not back:
            return self.problem(number, f"{'Q:::A' if both_ways else 'Q::A'} card needs text on both sides")
        self.pair(number, front, back, both_ways)

    def multi_line(self, paragraph: list[_Line], separator: _Line) -> None:
        at = paragraph.index(separator)
        front = _block(line.text for line in paragraph[:at])
        back = _block(line.text for line in paragraph[at + 1 :])
        if not front or not back:
            side = "question lines above" if not front else "answer lines below"
            return self.problem(
                separator.number, f"multi-line card needs {side} its {separator.text.strip()!r} line"
            )
        self.pair(paragraph[0].number, front, back, separator.text.strip() == "??")

    def pair(self, number: int, front: str, back: str, both_ways: bool) -> None:
        self.add(number, id=derived_id(self.file, front), question=front, answer=back, tags=self.tags)
        if both_ways:
            self.add(number, id=derived_id(self.file, back), question=back, answer=front, tags=self.tags)


def derived_id(file: str, question: str) -> str:
    """An id for a card that does not name one.

    It depends only on the deck file's name and the question's words, so it survives
    editing the answer, reflowing the question, reordering cards and moving the folder;
    a changed question or a renamed file is a new card with a fresh history.
    """
    name = Path(file).name
    words = " ".join(question.split())
    digest = hashlib.sha1(f"{name}\n{words}".encode()).hexdigest()[:10]
    return f"{_slug(Path(name).stem)}-{digest}"


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "card"


def _split_tags(value: str) -> tuple[str, ...]:
    return tuple(tag.strip() for tag in value.split(",") if tag.strip())


def _block(lines: Iterable[str]) -> str:
    """Join lines, dropping trailing spaces and the blank lines around the text."""
    return "\n".join(line.rstrip() for line in lines).strip("\n")


def _paragraphs(lines: list[_Line]) -> Iterable[list[_Line]]:
    """Runs of lines between blank lines (blank lines inside code count) and headings."""
    paragraph: list[_Line] = []
    for line in lines:
        if line.fenced or (line.text.strip() and not _HEADING.match(line.text)):
            paragraph.append(line)
        elif paragraph:
            yield paragraph
            paragraph = []
    if paragraph:
        yield paragraph


def _lines(text: str) -> list[_Line]:
    lines, fence = [], ""
    for number, raw in enumerate(text.splitlines(), start=1):
        stripped = raw.lstrip()
        # Deck authors open code right after the label: "A: ```python".
        if stripped[:2] in ("Q:", "A:"):
            stripped = stripped[2:].lstrip()
        marker = stripped[:3] if stripped[:3] in ("```", "~~~") else ""
        inside = bool(fence)
        if marker and (not fence or marker == fence):
            fence = "" if fence else marker
        # Obsidian writes a card's schedule into the note as an HTML comment: not card text.
        lines.append(_Line(number, _SR_COMMENT.sub("", raw), inside))
    return lines


def parse(text: str, file: str) -> Deck:
    """Parse one deck file's text; `file` is how messages and derived ids name it."""
    lines = _lines(text)
    first = next((line for line in lines if line.text.strip()), None)
    title = _TITLE.match(first.text) if first and not first.fenced else None
    section = title.group(1) if title and title.group(1) else Path(file).stem
    parser = _Parser(file, section)

    # Split at `## ` headings (outside code): each block is a native card or free notes.
    blocks: list[tuple[_Line | None, list[_Line]]] = [(None, [])]
    for line in lines:
        if not line.fenced and _CARD_HEADING.match(line.text):
            blocks.append((line, []))
        elif not (line is first and title):
            blocks[-1][1].append(line)
    for heading, body in blocks:
        if heading and any(not line.fenced and line.text.startswith("Q:") for line in body):
            parser.native(heading, body)
        else:
            parser.obsidian(body)

    titles = {section: title.group(2)} if title and title.group(1) else {}
    return Deck(parser.cards, parser.problems, titles)


def _files(path: Path) -> list[Path]:
    if path.is_file():
        return [path]
    if path.is_dir():
        return sorted(
            file
            for file in path.rglob("*.md")
            if file.is_file()
            and not any(part.startswith(".") for part in file.relative_to(path).parts)
        )
    raise DeckError(f"{path}: no such file or folder")


def _read(file: Path, name: str) -> str | DeckProblem:
    try:
        return file.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        line = exc.object[: exc.start].count(b"\n") + 1
        return DeckProblem(name, line, f"not UTF-8 text (byte {exc.start}); save the file as UTF-8")
    except OSError as exc:
        return DeckProblem(name, 1, f"cannot be read ({exc.strerror})")


def load(path: Path | None = None) -> Deck:
    """Read a deck file or a folder of `.md` files (default: the guide's deck).

    Cards and files that cannot be read are listed in `Deck.problems`, and the rest is
    kept; DeckError is raised when no card at all can be read.
    """
    root = path if path is not None else SHIPPED_DIR
    files = _files(root)
    if not files:
        raise DeckError(f"{root}: no .md deck files in this folder")
    deck = Deck()
    for file in files:
        name = display_path(file)
        text = _read(file, name)
        if isinstance(text, DeckProblem):
            deck.problems.append(text)
        else:
            deck.extend(parse(text, name))
    _drop_duplicates(deck)
    if not deck.cards:
        found = "".join(f"\n  {problem}" for problem in deck.problems)
        raise DeckError(
            f"{display_path(root)}: no card could be read{found}\nWrite `## id` + `Q:`/`A:` cards, "
            "`Question::Answer` lines, or question/`?`/answer paragraphs."
        )
    return deck


def _drop_duplicates(deck: Deck) -> None:
    first: dict[str, Card] = {}
    kept = []
    for card in deck.cards:
        if card.id in first:
            deck.problems.append(
                DeckProblem(
                    card.file,
                    card.line,
                    f"duplicate card id {card.id!r} (first at {first[card.id].location}); "
                    "this one is skipped",
                )
            )
        else:
            first[card.id] = card
            kept.append(card)
    deck.cards = kept


def render(card: Card) -> str:
    """The card in the deck format: `parse` reads it back to the same card."""
    lines = [f"## {card.id}"]
    if card.tags:
        lines.append(f"tags: {', '.join(card.tags)}")
    lines += [f"{key}: {value}" for key in ("kata", "source") if (value := getattr(card, key))]
    lines += ["", f"Q: {card.question}", "", f"A: {card.answer}", ""]
    return "\n".join(lines)
