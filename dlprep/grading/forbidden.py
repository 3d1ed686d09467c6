"""Forbidden APIs: found in the source before anything runs, and tripped at run time.

A forbidden entry is a dotted name, possibly with shell wildcards in its last part:
`torch.nn.functional.scaled_dot_product_attention`, `torch.optim` (the module and all of
it), `torch.nn.functional.*cross_entropy*`, or a Tensor method form, `Tensor.log_softmax`.
"""

from __future__ import annotations

import ast
import fnmatch
import types
from dataclasses import dataclass

TENSOR_METHOD = "Tensor."


@dataclass(frozen=True)
class Use:
    api: str
    line: int

    def message(self) -> str:
        return f"line {self.line} uses `{self.api}`, which this kata forbids: implement it yourself"


def matches(dotted: str, forbidden: tuple[str, ...]) -> str | None:
    """The forbidden entry that `dotted` falls under, if any."""
    for entry in forbidden:
        if entry.startswith(TENSOR_METHOD):
            continue
        if fnmatch.fnmatchcase(dotted, entry) or dotted.startswith(entry + "."):
            return entry
    return None


def _dotted(node: ast.AST, aliases: dict[str, str]) -> str | None:
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name) and node.id in aliases:
        return ".".join([aliases[node.id], *reversed(parts)])
    return None


def scan(source: str, forbidden: tuple[str, ...]) -> list[Use]:
    """Every use of a forbidden API that reading the source reveals (imports, aliases, attribute chains)."""
    tree = ast.parse(source)
    methods = {entry.removeprefix(TENSOR_METHOD) for entry in forbidden if entry.startswith(TENSOR_METHOD)}
    aliases: dict[str, str] = {}
    uses: list[Use] = []

    def flag(dotted: str, line: int) -> None:
        entry = matches(dotted, forbidden)
        if entry is not None:
            uses.append(Use(dotted, line))

    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                flag(alias.name, node.lineno)
                if alias.asname:
                    aliases[alias.asname] = alias.name
                else:
                    top = alias.name.split(".")[0]
                    aliases[top] = top
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                full = f"{node.module}.{alias.name}"
                flag(full, node.lineno)
                aliases[alias.asname or alias.name] = full
    for node in ast.walk(tree):
        if isinstance(node, (ast.Attribute, ast.Name)):
            dotted = _dotted(node, aliases)
            if dotted is not None and dotted not in aliases.values():
                flag(dotted, node.lineno)
            elif isinstance(node, ast.Attribute) and node.attr in methods:
                uses.append(Use(f"Tensor.{node.attr}", node.lineno))
    # `torch.optim.Adam` also contains `torch.optim`: report the most specific name per line.
    by_line: dict[int, Use] = {}
    for use in uses:
        if use.line not in by_line or len(use.api) > len(by_line[use.line].api):
            by_line[use.line] = use
    return [by_line[line] for line in sorted(by_line)]


class ForbiddenAPIError(BaseException):
    """Raised by a tripwire. A BaseException, so `except Exception` in a submission cannot hide it."""

    def __init__(self, api: str):
        super().__init__(api)
        self.api = api


def install_tripwires(forbidden: tuple[str, ...], on_trip) -> None:
    """Replace every forbidden callable reachable at run time by one that reports and raises.

    Runs in the learner's process before the submission is imported. `on_trip(api)` records
    the trip even if the submission swallows the exception.
    """
    import sys

    blocked_modules: set[str] = set()

    def tripwire(api: str, original):
        if isinstance(original, type):
            def refuse(*args, **kwargs):
                on_trip(api)
                raise ForbiddenAPIError(api)

            return type(original.__name__, (original,), {
                "__new__": refuse,
                "__init_subclass__": classmethod(lambda cls, **kw: refuse()),
            })

        def wrapper(*args, **kwargs):
            on_trip(api)
            raise ForbiddenAPIError(api)

        return wrapper

    for entry in forbidden:
        if entry.startswith(TENSOR_METHOD):
            import torch

            name = entry.removeprefix(TENSOR_METHOD)
            if hasattr(torch.Tensor, name):
                setattr(torch.Tensor, name, tripwire(entry, getattr(torch.Tensor, name)))
            continue
        if entry in sys.modules and type(sys.modules[entry]) is not types.ModuleType:
            # A module object that makes its attributes up on demand (torch._VF): dir() cannot list
            # them, so the object itself is replaced where a submission reaches it. torch's own code
            # keeps the reference it bound at import.
            proxy = _TrippingModule(entry, on_trip)
            sys.modules[entry] = proxy
            parent, _, name = entry.rpartition(".")
            setattr(sys.modules[parent], name, proxy)
            continue
        if entry in sys.modules:  # a whole module: trip on each of its public callables
            module = sys.modules[entry]
            for attr in dir(module):
                value = getattr(module, attr, None)
                if not attr.startswith("_") and callable(value):
                    setattr(module, attr, tripwire(f"{entry}.{attr}", value))
            continue
        if _is_module(entry):
            blocked_modules.add(entry)
            continue
        module_name, _, pattern = entry.rpartition(".")
        owner = sys.modules.get(module_name)
        if owner is None:
            continue
        for attr in dir(owner):
            if fnmatch.fnmatchcase(attr, pattern):
                setattr(owner, attr, tripwire(f"{module_name}.{attr}", getattr(owner, attr)))
    if blocked_modules:
        sys.meta_path.insert(0, _ImportBlocker(blocked_modules, on_trip))


class _TrippingModule(types.ModuleType):
    def __init__(self, name: str, on_trip):
        super().__init__(name)
        self._on_trip = on_trip

    def __getattr__(self, attr: str):
        api = f"{self.__name__}.{attr}"
        self._on_trip(api)
        raise ForbiddenAPIError(api)


class _ImportBlocker:
    """Refuses to import forbidden modules that were not imported before the submission."""

    def __init__(self, modules: set[str], on_trip):
        self.modules, self.on_trip = modules, on_trip

    def find_spec(self, fullname, path=None, target=None):
        for module in self.modules:
            if fullname == module or fullname.startswith(module + "."):
                self.on_trip(module)
                raise ForbiddenAPIError(module)
        return None


def _is_module(name: str) -> bool:
    import importlib.util

    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError, AttributeError):
        return False
