"""Reading decks: the shipped `decks/*.md`, a learner's notes, an Obsidian vault.

A file may hold dlprep's own cards (`native`) and Obsidian Spaced Repetition cards
(`obsidian`) side by side. Its first line may title it (`# 3.4 Attention`: the section
number and title); YAML frontmatter may name its deck (`deck: my-notes`) and tag it.

Every card's history lives under its deck's namespace: the shipped deck's is `dlprep`,
a learner's file's is its `deck:` or its path from the folder it was loaded from (from the
vault, inside an Obsidian vault): `notes/rnn.md`. So a user card named like a shipped one,
or two `notes.md` in two folders, each keep their own history.

In a vault (a folder with `.obsidian/`), only notes tagged `#flashcards` (or another
configured tag) are read, as the plugin does. Problems are collected per card, with file
and line, so that one bad card never costs the learner the rest of the deck.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import chain
from pathlib import Path

from dlprep.cards import native, obsidian
from dlprep.cards.markdown import Collector, Line, frontmatter, lines_of, tags_in
from dlprep.cards.model import SHIPPED_DECK, Card, Deck, DeckProblem, display_path, tag_matches

SHIPPED_DIR = Path(__file__).resolve().parent / "decks"
render = native.render
derived_id = obsidian.derived_id

_TITLE = re.compile(r"^#\s+(?:(\d+(?:\.\d+)*)\s+)?(.*\S)\s*$")


@dataclass(frozen=True)
class Options:
    """How notes are read: the plugin's settings a learner may have changed."""

    flashcard_tags: tuple[str, ...] = ("flashcards",)
    clozes: frozenset[str] = obsidian.DEFAULT_CLOZES


class DeckError(Exception):
    """A deck that cannot be read at all (missing, unreadable, not text, no cards)."""


@dataclass(frozen=True)
class _Note:
    """A file's text split once, for both the vault's tag filter and the parse."""

    values: dict[str, list[str]]  # its frontmatter
    lines: list[Line]
    tags: tuple[str, ...]  # its frontmatter's tags

    def is_flashcard_note(self, wanted: tuple[str, ...]) -> bool:
        """Tagged (in its frontmatter or its text, outside code) with one of `wanted`."""
        inline = (tag for line in self.lines if not line.fenced for tag in tags_in(line.text))
        return any(tag_matches(tag, want) for tag in chain(self.tags, inline) for want in wanted)


def _split(text: str) -> _Note:
    values, body, first_number = frontmatter(text)
    tags = tuple(tag.lstrip("#") for tag in values.get("tags", []) + values.get("tag", []))
    return _Note(values, lines_of(body, first_number), tags)


def parse(text: str, file: str, *, deck: str = SHIPPED_DECK, options: Options = Options()) -> Deck:
    """Parse one deck file's text; `file` is how messages and derived ids name it."""
    return _parse(_split(text), file, deck=deck, options=options)


def _parse(note: _Note, file: str, *, deck: str, options: Options) -> Deck:
    namespace = note.values["deck"][0] if note.values.get("deck") else deck
    lines = note.lines
    first = next((line for line in lines if line.text.strip()), None)
    title = _TITLE.match(first.text) if first and not first.fenced else None
    section = title.group(1) if title and title.group(1) else Path(file).stem
    out = Collector(file, section, namespace, note.tags)
    reader = obsidian.Reader(out, options.clozes)

    def is_obsidian(line: Line) -> bool:
        return obsidian.is_card_line(line, options.clozes)

    # Split at `## ` headings (outside code): each section is a native card or notes.
    sections: list[tuple[Line | None, list[Line]]] = [(None, [])]
    for line in lines:
        if not line.fenced and native.HEADING.match(line.text):
            sections.append((line, []))
        elif not (line is first and title):
            sections[-1][1].append(line)
    for heading, body_lines in sections:
        if heading is None or not native.read(heading, body_lines, out, is_obsidian):
            reader.read(body_lines)

    titles = {section: title.group(2)} if title and title.group(1) else {}
    return Deck(out.cards, out.problems, titles, namespaces={namespace})


def _vault(path: Path) -> Path | None:
    """The Obsidian vault holding `path` (the nearest folder with `.obsidian/`), if any."""
    folder = path if path.is_dir() else path.parent
    for candidate in (folder, *folder.parents):
        if (candidate / ".obsidian").is_dir():
            return candidate
    return None


def _files(path: Path) -> list[Path]:
    if path.is_file():
        return [path]
    if path.is_dir():
        return sorted(
            file
            for file in path.rglob("*.md")
            if file.is_file() and not any(part.startswith(".") for part in file.relative_to(path).parts)
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


def load(path: Path | None = None, options: Options = Options()) -> Deck:
    """Read a deck file or a folder of `.md` files (default: the guide's deck).

    Cards and files that cannot be read are listed in `Deck.problems`, and the rest is
    kept; DeckError is raised when no card at all can be read.
    """
    root = path if path is not None else SHIPPED_DIR
    files = _files(root)
    if not files:
        raise DeckError(f"{root}: no .md deck files in this folder")
    vault = _vault(root.resolve()) if path is not None else None
    # Namespaces are paths from this folder, named by it: `notes/rnn.md`.
    base = vault or (root.resolve() if root.is_dir() else root.resolve().parent)
    deck = Deck(prefixes={f"{base.name}/"} if path is not None else set())
    for file in files:
        name = display_path(file)
        text = _read(file, name)
        if isinstance(text, DeckProblem):
            deck.problems.append(text)
            continue
        note = _split(text)
        if vault is not None and root.is_dir() and not note.is_flashcard_note(options.flashcard_tags):
            continue
        namespace = f"{base.name}/{file.resolve().relative_to(base).as_posix()}" if path is not None else SHIPPED_DECK
        deck.extend(_parse(note, name, deck=namespace, options=options))
    _drop_duplicates(deck)
    if not deck.cards:
        found = "".join(f"\n  {problem}" for problem in deck.problems)
        hint = (
            f"\nIn an Obsidian vault only notes tagged {', '.join('#' + tag for tag in options.flashcard_tags)} are read."
            if vault is not None
            else ""
        )
        raise DeckError(
            f"{display_path(root)}: no card could be read{found}\nWrite `## id` + `Q:`/`A:` cards, "
            f"`Question::Answer` lines, question/`?`/answer paragraphs or ==clozes==.{hint}"
        )
    return deck


def _drop_duplicates(deck: Deck) -> None:
    first: dict[str, Card] = {}
    kept = []
    for card in deck.cards:
        if card.key in first:
            deck.problems.append(
                DeckProblem(
                    card.file,
                    card.line,
                    f"duplicate card id {card.id!r} (first at {first[card.key].location}); this one is skipped",
                )
            )
        else:
            first[card.key] = card
            kept.append(card)
    deck.cards = kept
