"""dlprep's own card format: a `## id` heading, metadata lines, then `Q:` and `A:`.

    ## sigmoid-derivative
    tags: activations, backprop
    kata: activations

    Q: What is the derivative of the sigmoid?

    A: σ'(z) = σ(z)(1 − σ(z)), largest at z = 0.

A block is read this way only when it cannot be anything else: its heading is followed by
nothing but metadata lines before `Q:`, and it holds no Obsidian card markup. Any other
`## ` section is left to the Obsidian reader, so a note's heading never swallows its cards.
"""

from __future__ import annotations

import re
from typing import Callable

from dlprep.cards.markdown import Collector, Line, block
from dlprep.cards.model import Card

METADATA_KEYS = ("tags", "kata", "source", "parts")

HEADING = re.compile(r"^##\s+(.*?)\s*$")
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
_METADATA = re.compile(r"^([A-Za-z][\w-]*):\s*(.*?)\s*$")


def _is_label(line: Line, label: str) -> bool:
    return not line.fenced and line.text.startswith(label)


def read(heading: Line, body: list[Line], out: Collector, is_obsidian: Callable[[Line], bool]) -> bool:
    """Read the block as a native card (or report why it is a broken one); False: not native."""
    if any(is_obsidian(line) for line in body):
        return False
    start = next((index for index, line in enumerate(body) if _is_label(line, "Q:")), None)
    if start is None:
        return False
    metadata: list[tuple[Line, str, str]] = []
    for line in body[:start]:
        if not line.text.strip():
            continue
        match = _METADATA.match(line.text)
        if not match:
            return False  # prose before the question: notes, not a card
        metadata.append((line, match.group(1), match.group(2)))

    card_id = HEADING.match(heading.text).group(1)
    if not _ID.match(card_id):
        out.problem(heading.number, f"card id {card_id!r} must be one word of letters, digits, '-', '_' or '.'")
        return True
    for line, key, _ in metadata:
        if key not in METADATA_KEYS:
            out.problem(
                line.number,
                f"card {card_id!r}: expected one of {', '.join(k + ':' for k in METADATA_KEYS)} "
                f"or Q: before the question, got {line.text.strip()!r}",
            )
            return True
    fields = {key: value for _, key, value in metadata}

    question_line = body[start]
    answer_at = next((index for index in range(start + 1, len(body)) if _is_label(body[index], "A:")), None)
    if answer_at is None:
        out.problem(question_line.number, f"card {card_id!r} has a Q: but no A: line")
        return True
    question = block([question_line.text[2:].strip(), *(line.text for line in body[start + 1 : answer_at])])
    answer = block([body[answer_at].text[2:].strip(), *(line.text for line in body[answer_at + 1 :])])
    if not question or not answer:
        line = question_line if not question else body[answer_at]
        out.problem(line.number, f"card {card_id!r} has an empty {'question' if not question else 'answer'}")
        return True
    out.add(
        heading.number,
        id=card_id,
        question=question,
        answer=answer,
        tags=split_list(fields.get("tags", "")),
        kata=fields.get("kata") or None,
        source=fields.get("source") or None,
        parts=split_list(fields.get("parts", "")),
    )
    return True


def split_list(value: str) -> tuple[str, ...]:
    return tuple(item.strip() for item in value.split(",") if item.strip())


def render(card: Card) -> str:
    """The card in the deck format: `deck.parse` reads it back to the same card."""
    lines = [f"## {card.id}"]
    if card.tags:
        lines.append(f"tags: {', '.join(card.tags)}")
    lines += [f"{key}: {value}" for key in ("kata", "source") if (value := getattr(card, key))]
    if card.parts:
        lines.append(f"parts: {', '.join(card.parts)}")
    lines += ["", f"Q: {card.question}", "", f"A: {card.answer}", ""]
    return "\n".join(lines)
