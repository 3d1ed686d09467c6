"""Obsidian Spaced Repetition's card syntax, as its documentation writes it.

- `Question::Answer`, and `Question:::Answer` for a card each way;
- multi-line cards: question lines, a line holding only `?` (`??` both ways), answer lines,
  ended by a blank line (code blocks may hold blank lines);
- clozes: each `==deletion==` (and, when turned on, `**deletion**` and `{{deletion}}`) of a
  paragraph is a card of its own, the other deletions shown;
- a line of only `#tags` tags the cards after it; tags at the start of a card's first line
  tag that card alone; `- `, `> ` and `1. ` markers are not part of a question;
- `^block-id` at the end of a card names it, so rewording the question keeps its history;
- `<!--SR:!2026-12-01,3,250-->` after a card is the plugin's schedule, kept for `import-sr`.

`::`, `==`, `**` and `{{` inside inline code, math or code blocks are never markup.
"""

from __future__ import annotations

import functools
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from dlprep.cards.markdown import Collector, Line, block, is_tag_line, mask_code, paragraphs, tags_in

CLOZES = {"highlight": ("==", "=="), "bold": ("**", "**"), "curly": ("{{", "}}")}
DEFAULT_CLOZES = frozenset({"highlight"})  # the plugin's defaults: bold and curly are settings

_LIST_ITEM = r"(?:[-*+]\s+(?:\[.\]\s+)?|\d+[.)]\s+)"
_MARKER = re.compile(rf"^\s*(?:(?:>\s?)+{_LIST_ITEM}?|{_LIST_ITEM})")
# Dataview's inline fields in brackets ("[mood:: good]") are data, not cards.
_DATAVIEW_INLINE = re.compile(r"[\[(][\w -]+::[^\])\n]*[\])]")
_LEADING_TAGS = re.compile(r"^(?:#[\w/-]+\s+)+")
_BLOCK_ID = re.compile(r"\s\^([A-Za-z0-9][A-Za-z0-9-]*)\s*$")
CLOZE_BLANK = "[...]"
_DELETION = {
    kind: re.compile(f"{re.escape(opening)}(?=\\S)(.+?)(?<=\\S){re.escape(closing)}")
    for kind, (opening, closing) in CLOZES.items()
}


def derived_id(file: str, question: str) -> str:
    """An id for a card that does not name one.

    It depends only on the deck file's name and the question's words, so it survives
    editing the answer, reflowing the question, reordering cards and moving the folder;
    a reworded question is a new card unless the card carries a block id (`^id`).
    """
    name, slug = _name_and_slug(file)
    words = " ".join(question.split())
    digest = hashlib.sha1(f"{name}\n{words}".encode()).hexdigest()[:10]
    return f"{slug}-{digest}"


@functools.lru_cache(maxsize=256)
def _name_and_slug(file: str) -> tuple[str, str]:
    name = Path(file).name
    return name, _slug(Path(name).stem)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "card"


def separator(text: str) -> tuple[str, int] | None:
    """The single-line separator (`:::` or `::`) outside inline code and math, and where it is."""
    if "::" not in text:
        return None
    masked = _DATAVIEW_INLINE.sub(lambda match: " " * len(match.group(0)), mask_code(text))
    for mark in (":::", "::"):
        at = masked.find(mark)
        if at >= 0:
            return mark, at
    return None


def deletions(text: str, kinds: frozenset[str]) -> list[tuple[int, int, int, int]]:
    """Cloze deletions on one line: (start, end, text start, text end), in order."""
    kinds = [kind for kind in kinds if CLOZES[kind][0] in text]
    if not kinds:
        return []
    masked = mask_code(text)
    found = []
    for kind in kinds:
        found += [(m.start(), m.end(), m.start(1), m.end(1)) for m in _DELETION[kind].finditer(masked)]
    found.sort()
    kept: list[tuple[int, int, int, int]] = []
    for span in found:  # `**` inside `==...==` and the like: the outer deletion wins
        if not kept or span[0] >= kept[-1][1]:
            kept.append(span)
    return kept


def is_card_line(line: Line, clozes: frozenset[str]) -> bool:
    """Whether a line carries Obsidian card markup (used to keep native blocks unambiguous)."""
    if line.fenced:
        return False
    text = line.text.strip()
    return text in ("?", "??") or separator(line.text) is not None or bool(deletions(line.text, clozes))


@dataclass
class _Side:
    text: str
    tags: tuple[str, ...]
    block_id: str | None


def _question(lines: list[str], code: list[bool] | None = None) -> _Side:
    """Question lines without list or quote markers (code lines kept as they are), leading card tags taken off."""
    tags: list[str] = []
    code = code or [False] * len(lines)
    cleaned = [line if fenced else _MARKER.sub("", line, count=1) for line, fenced in zip(lines, code)]
    if cleaned:
        leading = _LEADING_TAGS.match(cleaned[0])
        if leading:
            tags = tags_in(leading.group(0))
            cleaned[0] = cleaned[0][leading.end() :]
    return _Side(block(cleaned), tuple(tags), None)


def _answer(lines: list[str]) -> _Side:
    """Answer lines, and the block id (`^id`) that ends the card, if any."""
    lines = list(lines)
    last = max((index for index, line in enumerate(lines) if line.strip()), default=None)
    match = _BLOCK_ID.search(lines[last]) if last is not None else None
    if match:
        lines[last] = lines[last][: match.start()]
    return _Side(block(lines), (), match.group(1) if match else None)


def _dequoted(paragraph: list[Line]) -> list[Line]:
    """A card written inside a quote or callout: every line starts with `>`."""
    if not all(line.text.lstrip().startswith(">") or not line.text.strip() for line in paragraph):
        return paragraph
    stripped = []
    for line in paragraph:
        text = re.sub(r"^\s*>\s?", "", line.text, count=1)
        if re.match(r"^\[![\w-]+\][+-]?", text):  # a callout's title line is not card text
            text = ""
        stripped.append(Line(line.number, text, line.fenced, line.hidden, line.sr))
    return [line for line in stripped if line.text.strip() or line.fenced or line.sr]


def _schedules(lines: list[Line]) -> list[str]:
    """The plugin's per-card schedules in the paragraph's comments (`!date,interval,ease`, one per card)."""
    found = [part for line in lines if line.sr for part in line.sr.split("!") if part.strip()]
    return [part.strip() for part in found]


class Reader:
    """Reads one file's non-native parts; `tags` carries a tag line's tags to the cards after it."""

    def __init__(self, out: Collector, clozes: frozenset[str]) -> None:
        self.out = out
        self.clozes = clozes
        self.tags: tuple[str, ...] = ()

    def read(self, lines: list[Line]) -> None:
        for paragraph in paragraphs(lines):
            paragraph = _dequoted(paragraph)
            separator_line = next(
                (line for line in paragraph if not line.fenced and line.text.strip() in ("?", "??")), None
            )
            if separator_line is not None:
                self.multi_line(paragraph, separator_line)
            else:
                self.single_lines_and_clozes(paragraph)

    def _take_tag_lines(self, paragraph: list[Line]) -> list[Line]:
        while paragraph and not paragraph[0].fenced and is_tag_line(paragraph[0].text):
            self.tags = tuple(tags_in(paragraph[0].text))
            paragraph = paragraph[1:]
        return paragraph

    def multi_line(self, paragraph: list[Line], separator_line: Line) -> None:
        paragraph = self._take_tag_lines(paragraph)
        at = paragraph.index(separator_line)
        above = paragraph[:at]
        front = _question([line.text for line in above], [line.fenced for line in above])
        back = _answer([line.text for line in paragraph[at + 1 :]])
        mark = separator_line.text.strip()
        if not front.text or not back.text:
            side = "question lines above" if not front.text else "answer lines below"
            return self.out.problem(separator_line.number, f"multi-line card needs {side} its {mark!r} line")
        self.pair(paragraph[0].number, front, back, mark == "??", _schedules(paragraph))

    def single_lines_and_clozes(self, paragraph: list[Line]) -> None:
        rest: list[Line] = []
        index = 0
        while index < len(paragraph):
            line = paragraph[index]
            index += 1
            found = None if line.fenced else separator(line.text)
            if not line.fenced and is_tag_line(line.text):
                self.tags = tuple(tags_in(line.text))
            elif found is None:
                rest.append(line)
            else:
                mark, at = found
                schedule = [line]
                # The plugin writes a card's schedule on its line or alone on the line after it.
                if index < len(paragraph) and paragraph[index].sr and not paragraph[index].text.strip():
                    schedule.append(paragraph[index])
                    index += 1
                self.single_line(line.number, line.text[:at], line.text[at + len(mark) :], mark, _schedules(schedule))
        self.cloze(rest)

    def single_line(self, number: int, front_text: str, back_text: str, mark: str, schedules: list[str]) -> None:
        front, back = _question([front_text]), _answer([back_text])
        if not front.text or not back.text:
            shape = "Q:::A" if mark == ":::" else "Q::A"
            return self.out.problem(number, f"{shape} card needs text on both sides")
        self.pair(number, front, back, mark == ":::", schedules)

    def pair(self, number: int, front: _Side, back: _Side, both_ways: bool, schedules: list[str]) -> None:
        tags = front.tags or self.tags
        forward = back.block_id or derived_id(self.out.file, front.text)
        self.out.add(number, id=forward, question=front.text, answer=back.text, tags=tags,
                     sr_schedule=schedules[0] if schedules else None)
        if both_ways:
            reverse = f"{back.block_id}-reverse" if back.block_id else derived_id(self.out.file, back.text)
            self.out.add(number, id=reverse, question=back.text, answer=front.text, tags=tags,
                         sr_schedule=schedules[1] if len(schedules) > 1 else None)

    def cloze(self, lines: list[Line]) -> None:
        spans = [(index, span) for index, line in enumerate(lines) if not line.fenced
                 for span in deletions(line.text, self.clozes)]
        if not spans:
            return
        code = [line.fenced for line in lines]
        block_id = _answer([line.text for line in lines]).block_id
        # The same lines without the block id (its line keeps its place: the spans point into it).
        texts = [_BLOCK_ID.sub("", line.text) if block_id else line.text for line in lines]
        tags = _question(texts, code).tags or self.tags
        schedules = _schedules(lines)
        for number, (row, (start, *_)) in enumerate(spans):
            question = _question(_reveal(texts, spans, hide=(row, start)), code).text
            answer = _question(_reveal(texts, spans, hide=None), code).text
            card_id = f"{block_id}-{number + 1}" if block_id else derived_id(self.out.file, question)
            self.out.add(lines[row].number, id=card_id, question=question, answer=answer, tags=tags,
                         sr_schedule=schedules[number] if number < len(schedules) else None)


def _reveal(texts: list[str], spans: list, hide: tuple[int, int] | None) -> list[str]:
    """The cloze text with every deletion's markers dropped, and the one at `hide` blanked."""
    shown = list(texts)
    for row, (start, end, inner_start, inner_end) in reversed(spans):
        text = shown[row]
        inner = CLOZE_BLANK if hide == (row, start) else text[inner_start:inner_end]
        shown[row] = text[:start] + inner + text[end:]
    return shown
