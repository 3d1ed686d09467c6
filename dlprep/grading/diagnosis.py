"""Naming the mistake: which known mistakes explain a failing grade, how well, and, when none
does, where the fault lives.

A mistake is a family of forms (`spec.Mistake`). A form explains a failing case when the
submission's outputs match the form's there (NaN and inf matched by where they occur; the
gradients only decide when the outputs are right); it is ruled out by a case the submission
passed where the form would have failed. A mistake is named when one of its forms, or its
stated property (`predicate`), explains every failing case (nearly every, for those that say so);
two mistakes of different functions are named together when their forms combined explain them;
and a mistake that explains every failing case of some functions is named for those while
another function fails for a reason no known mistake gives.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import ModuleType
from typing import Any

import numpy as np

from dlprep.grading import compare, loaders
from dlprep.grading.execute import execute
from dlprep.grading.report import Diagnosis, Localisation
from dlprep.grading.spec import Case, Mistake
from dlprep.katas.catalog import Kata

NEARLY = 0.8
"""The share of failing cases a mistake marked `nearly` must explain."""
RAISED = "raised"


@dataclass(frozen=True)
class Observed:
    """What one case showed: passed or not, and the learner's record of it (None if it raised)."""

    passed: bool
    actual: dict[str, Any] | None


@dataclass
class Explanation:
    mistakes: tuple[Mistake, ...]
    explained: int
    failing: int
    functions: tuple[str, ...] = ()
    """Set when the mistake explains these functions' failing cases only: others fail otherwise."""

    def diagnoses(self) -> list[Diagnosis]:
        together = " together with " + ", ".join(f"`{m.id}`" for m in self.mistakes[1:]) if len(self.mistakes) > 1 else ""
        if self.functions:
            of = " and ".join(f"`{name}`" for name in self.functions)
            summary = (f"reproduces your outputs on all {self.explained} failing {of} cases; the other "
                       f"{self.failing - self.explained} failing cases have another cause")
        else:
            share = "all" if self.explained == self.failing else f"{self.explained} of"
            summary = f"reproduces your outputs on {share} {self.failing} failing {'case' if self.failing == 1 else 'cases'}"
        return [
            Diagnosis(m.id, m.explanation, {"explained": self.explained, "failing": self.failing},
                      summary + (together if i == 0 else ""))
            for i, m in enumerate(self.mistakes)
        ]


class Diagnostician:
    """Diagnoses a kata's grades; what the forms compute on a case is kept for the next grade."""

    def __init__(self, kata: Kata, checks: ModuleType, cases: list[Case], expected: list[dict[str, Any]]):
        self.kata, self.checks, self.cases, self.expected = kata, checks, cases, expected
        self.mistakes = loaders.mistakes(kata)
        self._impls: dict[tuple, ModuleType] = {}
        self._outputs: dict[tuple, Any] = {}
        self._right: dict[tuple[int, int], bool] = {}
        """(id of a record, case) -> whether its outputs are the reference's; records live for a grade."""

    def diagnose(self, observed: dict[int, Observed]) -> list[Diagnosis]:
        """Probes are left out: they say where a fault lives, and the counts are of checks."""
        observed = {i: seen for i, seen in observed.items() if not self.cases[i].probe}
        self._right.clear()
        # Smallest first: a form that fails to explain a case is dropped at the first one, cheaply.
        failing = sorted((i for i, seen in observed.items() if not seen.passed), key=lambda i: (_size(self.cases[i].args), i))
        if not failing:
            return []
        named = []
        for mistake in self.mistakes:
            counts = [self._count(mistake, form, failing, observed) for form in self._forms(mistake)]
            explained = max((count for count in counts if count is not None), default=None)
            if explained is None and not mistake.forms() and mistake.predicate is not None:
                explained = sum(self._shows(mistake, i, observed[i]) for i in failing)
                explained = explained if self._enough(mistake, explained, len(failing)) else None
            if explained is not None:
                named += Explanation((mistake,), explained, len(failing)).diagnoses()
        return named or self._pair(failing, observed) or self._per_function(failing, observed)

    def _forms(self, mistake: Mistake) -> list[dict]:
        """Each form, then, for a form that replaces several functions, each function's part alone:
        a learner may make the mistake in one of them only. A part that is another form comes once."""
        forms, seen = [], set()
        for form in (*mistake.forms(), *({name: f} for form in mistake.forms() if len(form) > 1 for name, f in form.items())):
            if _key(form) not in seen:
                seen.add(_key(form))
                forms.append(form)
        return forms

    def _enough(self, mistake: Mistake, explained: int, failing: int) -> bool:
        return explained == failing or (mistake.nearly and explained >= NEARLY * failing)

    def _count(self, mistake: Mistake, form: dict, failing: list[int], observed: dict[int, Observed]) -> int | None:
        """How many failing cases `form` explains, when that is enough to name the mistake and no
        case the submission passed rules it out (the form gives something else there)."""
        allowed_misses = len(failing) - next(n for n in range(len(failing) + 1) if self._enough(mistake, n, len(failing)))
        explained = 0
        for index in failing:
            if self._explains(mistake, form, index, observed[index]):
                explained += 1
            else:
                allowed_misses -= 1
                if allowed_misses < 0:
                    return None
        return explained if self._consistent(form, observed) else None

    def _explains(self, mistake: Mistake, form: dict, index: int, seen: Observed) -> bool:
        return self._same(seen.actual, form, index) or self._shows(mistake, index, seen)

    def _consistent(self, form: dict, observed: dict[int, Observed]) -> bool:
        """No case the submission passed is one this form would have failed."""
        return all(self._same(seen.actual, form, index) for index, seen in observed.items() if seen.passed)

    def _shows(self, mistake: Mistake, index: int, seen: Observed) -> bool:
        if mistake.predicate is None or seen.actual is None:
            return False
        outputs = {name: record.get("data") for name, record in seen.actual["outputs"].items()}
        try:
            return bool(mistake.predicate(self.cases[index], outputs))
        except Exception:  # noqa: BLE001 - a property that does not apply to these outputs does not hold
            return False

    def _output(self, form: dict, index: int, backward: bool):
        """What `form` computes on a case: forward only, or with gradients."""
        key = (_key(form), index, backward)
        cached = self._outputs.get(key)
        if cached is None:
            impl = self._impls.get(_key(form))
            if impl is None:
                impl = self._impls[_key(form)] = loaders.variant_impl(self.kata, form)
            try:
                cached = execute(impl, self.checks, self.cases[index], self.kata.framework, "cpu", backward=backward)
            except Exception:  # noqa: BLE001 - a mistake may raise where the reference does not
                cached = RAISED
            self._outputs[key] = cached
        return cached

    def _same(self, actual: dict | None, form: dict, index: int) -> bool:
        """Whether a record the learner's process sent is what `form` gives on a case."""
        wrong = self._output(form, index, backward=False)
        if actual is None or wrong is RAISED:
            return actual is None and wrong is RAISED
        tol = compare.tolerance(self.cases[index])
        if not _agree(actual["outputs"], wrong["outputs"], tol):
            return False
        outputs_right = self._right.get((id(actual), index))
        if outputs_right is None:
            outputs_right = self._right[(id(actual), index)] = _agree(actual["outputs"], self.expected[index]["outputs"], tol)
        if outputs_right:  # the forward decides first: gradients only tell forms apart when the outputs are right
            wrong = self._output(form, index, backward=True)
            if wrong is RAISED or not _agree(actual["grads"], wrong["grads"], tol):
                return False
        return _agree(actual["inputs_after"], wrong["inputs_after"], tol)

    def _pair(self, failing: list[int], observed: dict[int, Observed]) -> list[Diagnosis]:
        """Two mistakes in different functions, each explaining some failing cases (none alone does)."""
        partial = []
        for mistake in self.mistakes:
            for form in self._forms(mistake):
                explained = {i for i in failing if self._explains(mistake, form, i, observed[i])}
                if explained and self._consistent(form, observed):
                    partial.append((mistake, form, explained))
        for a, (first, form_a, explained_a) in enumerate(partial):
            for second, form_b, explained_b in partial[a + 1:]:
                if first.id == second.id or set(form_a) & set(form_b) or len(explained_a | explained_b) < len(failing):
                    continue
                both = {**form_a, **form_b}
                if all(self._same(observed[i].actual, both, i) for i in failing) and self._consistent(both, observed):
                    return Explanation((first, second), len(failing), len(failing)).diagnoses()
        return []

    def _per_function(self, failing: list[int], observed: dict[int, Observed]) -> list[Diagnosis]:
        """Mistakes that explain every failing case of some functions, while another function
        fails for a reason no known mistake gives (a TypeError, an unknown slip): the evidence
        for those functions is as strong as if they were the only ones."""
        by_function: dict[str, list[int]] = {}
        for index in failing:
            by_function.setdefault(self.cases[index].call, []).append(index)
        # Any exception matches any: a function that raised on every case it was given says nothing
        # of which mistake is in it. Outputs do, and so does raising on some cases and passing others.
        passed = {self.cases[i].call for i, seen in observed.items() if seen.passed}
        shown = {name for name, cases in by_function.items()
                 if name in passed or any(observed[i].actual is not None for i in cases)}
        if len(by_function) < 2:
            return []
        named = []
        for mistake in self.mistakes:
            best: tuple[str, ...] = ()
            for form in self._forms(mistake):
                if not self._consistent(form, observed):
                    continue
                explained = tuple(name for name, cases in by_function.items()
                                  if name in shown and all(self._same(observed[i].actual, form, i) for i in cases))
                if sum(map(len, map(by_function.get, explained))) > sum(map(len, map(by_function.get, best))):
                    best = explained
            if best and len(best) < len(by_function):
                explained_cases = sum(len(by_function[name]) for name in best)
                named += Explanation((mistake,), explained_cases, len(failing), best).diagnoses()
        return named

    def localise(self, observed: dict[int, Observed]) -> Localisation | None:
        """The first failing probe after passing ones: where the fault lives."""
        probes = [i for i, case in enumerate(self.cases) if case.probe and i in observed]
        failed = [i for i in probes if not observed[i].passed]
        if not failed:
            return None
        passed = [self.cases[i].probe for i in probes[: probes.index(failed[0])]]
        first = self.cases[failed[0]]
        right = f"right with {', '.join(passed)}; " if passed else ""
        return Localisation(first.name, f"{right}wrong with {first.probe}" + (f": {first.blame}" if first.blame else ""))

    def smallest_failing(self, observed: dict[int, Observed]) -> int | None:
        """The failing case with the fewest input values, for a learner to reproduce in a REPL."""
        failing = [i for i, seen in observed.items() if not seen.passed]
        return min(failing, key=lambda i: (_size(self.cases[i].args), i), default=None)


def _key(form: dict) -> tuple:
    """A form by the functions it puts in place: two mistakes' identical parts are run once."""
    return tuple(sorted((name, id(function)) for name, function in form.items()))


def _agree(actual: dict[str, Any], wanted: dict[str, Any], tol: compare.Tolerance) -> bool:
    for name, want in wanted.items():
        got = actual.get(name)
        if got is None or not compare.matches(got, want, tol):
            return False
    return True


def _size(value: Any) -> int:
    if isinstance(value, np.ndarray):
        return value.size
    if isinstance(value, dict):
        return sum(_size(v) for v in value.values())
    if isinstance(value, (list, tuple)):
        return sum(_size(v) for v in value)
    return 0
