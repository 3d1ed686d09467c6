"""The Markdown a deck file is made of, as both card formats see it.

A file is split into `Line`s that know whether they are inside a code block or an HTML
comment (never card markup there) and carry Obsidian Spaced Repetition's scheduling
comment apart from their text. Frontmatter, tags and inline code are read here too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterable

from dlprep.cards.model import Card, DeckProblem

_FENCE = re.compile(r"^(?:[QA]:\s*)?(?:>\s*)*(`{3,}|~{3,})")
_SR_COMMENT = re.compile(r"<!--SR:(.*?)-->")
_COMMENT = re.compile(r"<!--.*?-->")
_HEADING = re.compile(r"^#{1,6}\s")
# Obsidian's tags: `#` then letters, digits, `_`, `-` and `/` for nesting, not all digits.
TAG = re.compile(r"(?<![\w#/&])#([A-Za-z_][\w/-]*|\d+[A-Za-z_/-][\w/-]*)")
_TAG_LINE = re.compile(r"^\s*(?:#[\w/-]+\s*)+$")
# Inline code (groups 1-2), display math (3) and inline math (4), one grammar for reading cards and
# exporting them: `$` math neither opens nor closes on a space, nor closes before a digit ("$5 or $6").
INLINE_SPAN = re.compile(r"(`+)(.+?)\1|\$\$(.+?)\$\$|\$([^\s$](?:[^$]*[^\s$])?)\$(?!\d)", re.S)


@dataclass
class Line:
    number: int
    text: str  # without scheduling comments
    fenced: bool = False  # inside a ``` or ~~~ block, its closing fence included
    hidden: bool = False  # inside an HTML comment: the plugin ignores cards there, and so do we
    sr: str | None = None  # the `<!--SR:...-->` comment's content, if the line held one

    @property
    def blank(self) -> bool:
        return not self.text.strip() and self.sr is None and not self.fenced

    @property
    def heading(self) -> bool:
        return not self.fenced and bool(_HEADING.match(self.text))


@dataclass
class Collector:
    """Where one file's cards and problems go, with what every card of the file shares."""

    file: str
    section: str
    deck: str
    note_tags: tuple[str, ...] = ()
    cards: list[Card] = field(default_factory=list)
    problems: list[DeckProblem] = field(default_factory=list)

    def problem(self, line: int, message: str) -> None:
        self.problems.append(DeckProblem(self.file, line, message))

    def add(self, line: int, *, tags: Iterable[str] = (), **fields) -> None:
        merged = tuple(dict.fromkeys((*self.note_tags, *tags)))
        self.cards.append(
            Card(section=self.section, file=self.file, line=line, deck=self.deck, tags=merged, **fields)
        )


def closes_fence(line: str, fence: str) -> bool:
    """Whether `line` closes the code block `fence` (its ``` or ~~~) opened: that fence or a longer one, quoted or not."""
    closing = line.strip().lstrip("> ")
    return closing.startswith(fence) and not closing.strip(fence[0])


def lines_of(text: str, first_number: int = 1) -> list[Line]:
    lines: list[Line] = []
    fence = ""
    in_comment = False
    for number, raw in enumerate(text.splitlines(), start=first_number):
        commented = "<!--" in raw
        schedules = _SR_COMMENT.findall(raw) if commented else []
        plain = _SR_COMMENT.sub("", raw) if schedules else raw
        opening = _FENCE.match(plain.lstrip()) if "``" in plain or "~~" in plain else None
        if fence:
            lines.append(Line(number, plain, fenced=True))
            fence = "" if closes_fence(plain, fence) else fence
            continue
        if in_comment or (plain.lstrip().startswith("<!--") and "-->" not in plain):
            in_comment = "-->" not in plain
            lines.append(Line(number, "", hidden=True))
            continue
        if plain.lstrip().startswith("<!--"):  # a whole card commented out on one line
            lines.append(Line(number, "", hidden=True))
            continue
        if opening:  # the opening line is card text ("A: ```python"); what follows is code
            fence = opening.group(1)
        text = _COMMENT.sub("", plain) if commented else plain
        lines.append(Line(number, text, sr="".join(schedules) if schedules else None))
    return lines


def paragraphs(lines: list[Line]) -> Iterable[list[Line]]:
    """Runs of lines between blank lines, hidden lines and headings; code blocks stay whole."""
    paragraph: list[Line] = []
    for line in lines:
        if line.blank or line.hidden or line.heading:
            if paragraph:
                yield paragraph
            paragraph = []
        else:
            paragraph.append(line)
    if paragraph:
        yield paragraph


def frontmatter(text: str) -> tuple[dict[str, list[str]], str, int]:
    """YAML frontmatter's simple keys (`key: value`, `key: [a, b]`, `key:` + `- item` lines),
    the text after it, and the line number that text starts on."""
    if not text.startswith("---"):
        return {}, text, 1
    rows = text.splitlines()
    if rows[0].strip() != "---":
        return {}, text, 1
    end = next((index for index, row in enumerate(rows[1:], start=1) if row.strip() in ("---", "...")), None)
    if end is None:
        return {}, text, 1
    values: dict[str, list[str]] = {}
    key = None
    for row in rows[1:end]:
        item = re.match(r"^\s+-\s+(.*?)\s*$", row)
        if item and key:
            values[key].append(item.group(1).strip("'\""))
            continue
        pair = re.match(r"^([\w-]+):\s*(.*?)\s*$", row)
        if pair:
            key, value = pair.group(1).lower(), pair.group(2)
            value = value.strip("[]")
            values[key] = [part.strip().strip("'\"") for part in re.split(r"[,\s]+", value) if part.strip()]
    rest = "\n".join(rows[end + 1 :])
    return values, rest, end + 2


def mask_code(text: str) -> str:
    """The text with inline code and math blanked out, so their `::`, `==` or `{{` are not markup."""
    if "`" not in text and "$" not in text:
        return text
    return INLINE_SPAN.sub(lambda match: " " * len(match.group(0)), text)


def tags_in(text: str) -> list[str]:
    return TAG.findall(mask_code(text))


def is_tag_line(text: str) -> bool:
    return bool(_TAG_LINE.match(text)) and bool(TAG.match(text.strip()))


def block(lines: Iterable[str]) -> str:
    """Join lines, dropping trailing spaces and the blank lines around the text."""
    return "\n".join(line.rstrip() for line in lines).strip("\n")
