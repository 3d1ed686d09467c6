"""The kata catalog: `catalog.toml` describes every kata; files are found from its id."""

from __future__ import annotations

import difflib
import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

CATALOG = Path(__file__).with_name("catalog.toml")
SUPPORTED_VERSION = 1


@dataclass(frozen=True)
class Kata:
    id: str
    title: str
    section: str
    framework: str
    """`numpy`, `torch` or `python`: what the functions take and return."""
    difficulty: int
    functions: tuple[str, ...]
    forbidden: tuple[str, ...]
    """Dotted names of library calls that would do the work (`torch.nn.functional.softmax`, `Tensor.lstm`)."""
    forbidden_ops: tuple[str, ...]
    """The same work as PyTorch's operators name it (`scaled_dot_product_attention`, `_log_softmax`),
    shell patterns allowed: tripped at run time whatever route reaches them."""
    hints: tuple[str, ...]


class UnknownKata(LookupError):
    def __init__(self, kata_id: str, suggestion: str | None):
        self.kata_id, self.suggestion = kata_id, suggestion
        hint = f" Did you mean `{suggestion}`?" if suggestion else ""
        super().__init__(f"there is no kata `{kata_id}`.{hint} `dlprep list` shows them all.")


@dataclass(frozen=True)
class Catalog:
    sections: dict[str, str]
    katas: tuple[Kata, ...]

    def get(self, kata_id: str) -> Kata:
        for kata in self.katas:
            if kata.id == kata_id:
                return kata
        close = difflib.get_close_matches(kata_id, [k.id for k in self.katas], n=1, cutoff=0.5)
        raise UnknownKata(kata_id, close[0] if close else None)

    def ids(self) -> list[str]:
        return [kata.id for kata in self.katas]


@cache
def load() -> Catalog:
    data = tomllib.loads(CATALOG.read_text(encoding="utf-8"))
    if data["version"] != SUPPORTED_VERSION:
        raise ValueError(f"{CATALOG} has version {data['version']}; this dlprep reads version {SUPPORTED_VERSION}")
    katas = tuple(
        Kata(
            id=entry["id"],
            title=entry["title"],
            section=entry["section"],
            framework=entry["framework"],
            difficulty=entry["difficulty"],
            functions=tuple(entry["functions"]),
            forbidden=tuple(entry.get("forbidden", ())),
            forbidden_ops=tuple(entry.get("forbidden_ops", ())),
            hints=tuple(entry["hints"]),
        )
        for entry in data["kata"]
    )
    return Catalog(sections=dict(data["sections"]), katas=katas)
