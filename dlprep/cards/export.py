"""Cards out of dlprep: an Anki package, or CSV for Anki's importer.

Card text is Markdown-ish plain text; Anki shows HTML and renders math written `\\(…\\)` and
`\\[…\\]`. So text is HTML-escaped, fenced code becomes `<pre><code>`, inline code `<code>`,
`$…$` and `$$…$$` become Anki's math, and line breaks `<br>`.
"""

from __future__ import annotations

import csv
import hashlib
import html
import re
from pathlib import Path
from typing import IO

from dlprep.cards.markdown import INLINE_SPAN, closes_fence
from dlprep.cards.model import Card

# Anki recognises a re-imported note type and deck by these ids, and a note by its GUID,
# derived from the card's deck namespace and id (never its text): keeping all three fixed makes
# a re-export update the learner's existing notes, with their Anki review history, instead of
# duplicating them. The shipped deck's namespace is "dlprep", as the first exports named it.
MODEL_ID = 1_739_204_117
ANKI_SUFFIXES = (".apkg",)
CSV_SUFFIXES = (".csv", ".txt")

_CSS = """.card { font-family: sans-serif; font-size: 20px; text-align: left; }
.dlprep { white-space: pre-wrap; }
.dlprep pre { background: #f4f4f4; padding: 0.5em; }"""

_FENCE = re.compile(r"^\s*(`{3,}|~{3,})\s*([\w+-]*)\s*$")


def misnamed(path: str, suffixes: tuple[str, ...]) -> str | None:
    """The name `path` should have (its extension one of `suffixes`), or None when it has it; `-` is stdout."""
    if path == "-" or Path(path).suffix.lower() in suffixes:
        return None
    return str(Path(path).with_suffix(suffixes[0]))


def _inline(text: str) -> str:
    out, position = [], 0
    for match in INLINE_SPAN.finditer(text):
        out.append(html.escape(text[position : match.start()], quote=False))
        code, display, inline = match.group(2), match.group(3), match.group(4)
        if code is not None:
            out.append(f"<code>{html.escape(code, quote=False)}</code>")
        elif display is not None:
            out.append(f"\\[{html.escape(display, quote=False)}\\]")
        else:
            out.append(f"\\({html.escape(inline, quote=False)}\\)")
        position = match.end()
    out.append(html.escape(text[position:], quote=False))
    return "".join(out).replace("\n", "<br>")


def to_html(text: str) -> str:
    """Card text as Anki shows it (no raw line breaks outside `<pre>`)."""
    pieces: list[str] = []
    prose: list[str] = []
    lines = iter(text.splitlines())
    for line in lines:
        fence = _FENCE.match(line)
        if not fence:
            prose.append(line)
            continue
        if prose:
            pieces.append(_inline("\n".join(prose)))
            prose = []
        code = []
        for inner in lines:
            if closes_fence(inner, fence.group(1)):
                break
            code.append(inner)
        language = f' class="language-{fence.group(2)}"' if fence.group(2) else ""
        pieces.append(f"<pre><code{language}>{html.escape(chr(10).join(code), quote=False)}</code></pre>")
    if prose:
        pieces.append(_inline("\n".join(prose)))
    return "".join(pieces)


def anki_tags(card: Card) -> list[str]:
    # Anki separates tags with spaces and nests them with `::` where Obsidian uses `/`.
    return [tag.replace(" ", "_").replace("/", "::") for tag in card.tags]


def anki_deck(card: Card, titles: dict[str, str]) -> str:
    return "dlprep::" + " ".join(filter(None, (card.section, titles.get(card.section))))


def guid(card: Card) -> str:
    import genanki

    return genanki.guid_for(card.deck, card.id)


def _deck_id(name: str) -> int:
    return int(hashlib.sha1(f"dlprep deck {name}".encode()).hexdigest()[:8], 16)


def to_anki(cards: list[Card], titles: dict[str, str], path: str) -> None:
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
        name = anki_deck(card, titles)
        if name not in decks:
            # The shipped deck's sub-decks keep the ids their first exports gave them.
            decks[name] = genanki.Deck(_deck_id(card.section if card.deck == "dlprep" else name), name)
        decks[name].add_note(
            genanki.Note(
                model=model,
                fields=[to_html(card.question), to_html(card.answer), card.key, card.section, card.kata or ""],
                tags=anki_tags(card),
                guid=guid(card),
            )
        )
    genanki.Package(list(decks.values())).write_to_file(path)


# Anki's text importer reads these header lines: the columns, which hold the GUID, the deck and
# the tags, and that fields are HTML (escaped as such). Front and Back fill a Basic note.
CSV_COLUMNS = ("GUID", "Front", "Back", "Deck", "Tags")
CSV_HEADER = (
    "#separator:Comma",
    "#html:true",
    "#notetype:Basic",
    f"#columns:{','.join(CSV_COLUMNS)}",
    "#guid column:1",
    "#deck column:4",
    "#tags column:5",
)


def to_csv(cards: list[Card], titles: dict[str, str], file: IO[str]) -> None:
    file.write("\n".join(CSV_HEADER) + "\n")
    # Every field quoted: Anki skips lines starting with `#`, and a GUID may start with one.
    writer = csv.writer(file, lineterminator="\n", quoting=csv.QUOTE_ALL)
    for card in cards:
        writer.writerow(
            [guid(card), to_html(card.question), to_html(card.answer), anki_deck(card, titles), " ".join(anki_tags(card))]
        )
