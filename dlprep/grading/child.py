"""The learner's process: imports the submission and runs the cases it is sent.

Forked by the learner host (`host`) for each submission; shuts itself in, reads its cases from
one pipe and writes one framed message per event to another. It decides nothing: the grader
checks what it reports (`frames`) and compares it with the reference.
"""

from __future__ import annotations

import importlib
import importlib.util
import linecache
import os
import traceback
from typing import Any

from dlprep.grading import wire


class Stop(Exception):
    """The run ends early; the message has been sent."""


class LearnerRun:
    def __init__(self, config: dict[str, Any]):
        self.config = config
        self.file = os.path.realpath(config["file"])
        self.out = config["result_fd"]
        self.monitor = None  # watches the run: forbidden work, device placement; set up in main
        self.renamed: list[str] = []
        """What `signatures.adapt` said of the functions it adapted: sent with every case."""

    def send(self, message: dict[str, Any]) -> None:
        wire.send(self.out, message)

    def fail(self, kind: str, message: str) -> None:
        self.send({"type": "error", "kind": kind, "message": message})
        raise Stop

    def learner_frames(self, exc: BaseException) -> list[traceback.FrameSummary]:
        return [f for f in traceback.extract_tb(exc.__traceback__) if os.path.realpath(f.filename) == self.file]

    def trimmed_traceback(self, exc: BaseException) -> str:
        frames = self.learner_frames(exc)
        lines = [f"  line {f.lineno}, in {f.name}\n    {(f.line or '').strip()}" for f in frames]
        detail = "".join(traceback.format_exception_only(type(exc), exc)).strip()
        return "\n".join([*lines, detail]) if lines else detail

    def innermost_function(self, exc: BaseException) -> str | None:
        """The submission's function (`Adam.step` for a method) where `exc` was raised."""
        codes = [frame.f_code for frame, _ in traceback.walk_tb(exc.__traceback__)]
        mine = [code for code in codes if os.path.realpath(code.co_filename) == self.file]
        return getattr(mine[-1], "co_qualname", mine[-1].co_name) if mine else None

    def line_of(self, exc: BaseException) -> str:
        frames = self.learner_frames(exc)
        return f"line {frames[-1].lineno}" if frames else "your code"

    def fatal(self, exc: BaseException, where: str) -> None:
        """Exceptions that end the whole run: exits, interrupts, memory."""
        from dlprep.grading.forbidden import ForbiddenAPIError

        if isinstance(exc, ForbiddenAPIError):  # the monitor recorded where
            self.stop_on_trip(where)
        if isinstance(exc, SystemExit):
            self.fail("crash", f"{where}: your code called sys.exit({exc.code!r}) at {self.line_of(exc)}")
        if isinstance(exc, KeyboardInterrupt):
            self.fail("crash", f"{where}: your code raised KeyboardInterrupt at {self.line_of(exc)}")
        if isinstance(exc, MemoryError) or "can't allocate memory" in str(exc) or "out of memory" in str(exc):
            self.fail("crash", f"{where}: ran out of memory at {self.line_of(exc)} (the grader caps memory)")

    def load(self):
        """The submission as a module, with every way of failing to load it reported."""
        spec = importlib.util.spec_from_file_location(f"submission_{self.config['kata']}", self.file)
        module = importlib.util.module_from_spec(spec)
        try:
            with self.monitor.case():
                spec.loader.exec_module(module)
        except SyntaxError as exc:
            self.fail("syntax", f"line {exc.lineno}: {exc.msg}")
        except BaseException as exc:  # noqa: BLE001 - everything a submission can raise is reported
            self.fatal(exc, "while importing")
            self.fail("import", f"importing your file failed:\n{self.trimmed_traceback(exc)}")
        self.stop_on_trip("while importing your file")
        missing = [name for name in self.config["functions"] if not hasattr(module, name)]
        if missing:
            self.fail("missing-function", "your file does not define " + ", ".join(f"`{n}`" for n in missing))
        from dlprep.grading import signatures

        self.renamed = signatures.adapt(module, self.config["parameters"])
        return module

    def raised_here(self, exc: BaseException) -> bool:
        """Whether the learner's own file raised `exc` (a stub's `raise NotImplementedError`), rather
        than a library that the learner called."""
        last = None
        for frame, lineno in traceback.walk_tb(exc.__traceback__):
            last = (frame.f_code.co_filename, lineno)
        return last is not None and last[0] == self.file and linecache.getline(self.file, last[1]).lstrip().startswith("raise")

    def not_implemented(self, exc: NotImplementedError) -> str | None:
        """What is still a stub, when the learner's file raised `exc`: the innermost function, or the
        name a checks module gave it (`raise NotImplementedError("Adam") from exc` names the class)."""
        if self.raised_here(exc):
            return self.innermost_function(exc)
        if isinstance(exc.__cause__, NotImplementedError) and self.raised_here(exc.__cause__) and exc.args:
            return str(exc.args[0])
        return None

    def findings(self, found) -> dict[str, Any]:
        """What the monitor found, with the renamings first, within what `frames` accepts."""
        from dlprep.grading.frames import MAX_FINDINGS

        sent = found.to_dict()
        return {**sent, "notes": [*self.renamed, *sent["notes"]][:MAX_FINDINGS]}

    def run_case(self, module, checks, case, device: str) -> dict[str, Any]:
        from dlprep.grading.execute import ProtocolError, execute

        monitor = self.monitor
        try:
            with monitor.case(case) as found:
                result = execute(module, checks, case, self.config["framework"], device, on_outputs=monitor.returned)
            return {"result": result, "monitor": self.findings(found)}
        except NotImplementedError as exc:
            name = self.not_implemented(exc)
            if name is not None:
                return {"not_implemented": name}
            return {"exception": self.trimmed_traceback(exc), "monitor": self.findings(monitor.findings())}
        except ProtocolError as exc:
            return {"protocol": str(exc), "monitor": self.findings(monitor.findings())}
        except Exception as exc:  # noqa: BLE001
            self.fatal(exc, f"in case '{case.name}'")
            return {"exception": self.trimmed_traceback(exc), "monitor": self.findings(monitor.findings())}
        except BaseException as exc:
            self.fatal(exc, f"in case '{case.name}'")
            raise
        finally:
            self.stop_on_trip(f"in case '{case.name}'")

    def stop_on_trip(self, where: str) -> None:
        if self.monitor.trips:
            api, line = self.monitor.trips[0]
            self.fail("forbidden-api", f"{line} uses `{api}` ({where}), which this kata forbids: implement it yourself")

    def main(self) -> None:
        from dlprep.grading import sandbox
        from dlprep.grading.monitor import Monitor
        from dlprep.grading.spec import Case

        config = self.config
        checks = importlib.import_module(f"dlprep.grading.checks.{config['kata']}")
        self.monitor = Monitor(self.file, config["framework"], tuple(config["forbidden"]), tuple(config["forbidden_ops"]))
        self.monitor.install()
        sandbox.protect(config["isolation"]["hidden"], config["hidden_modules"])
        module = self.load()
        cases = [Case(**fields) for fields in wire.receive(config["case_fd"])]
        devices = config["devices"]
        if devices is None:
            import torch

            devices = ["cpu", "cuda"] if torch.cuda.is_available() else ["cpu"]
            self.send({"type": "devices", "devices": devices})
        for device in devices:
            for index, case in enumerate(cases):
                self.send({"type": "start", "index": index, "device": device})
                self.send({"type": "case", "index": index, "device": device, **self.run_case(module, checks, case, device)})
        self.send({"type": "done"})


def run(config: dict[str, Any]) -> None:
    """Everything a learner's process does, from shutting itself in to its last frame.

    Called in a fresh fork of the learner host (`host`), which imported the heavy modules."""
    from dlprep.grading import isolation

    plan = isolation.Plan(**config["isolation"])
    os.chdir(plan.folder)
    try:
        layers = isolation.apply(plan)
    except isolation.IsolationError as exc:
        wire.send(config["result_fd"], {"type": "error", "kind": "crash", "message": str(exc)})
        return
    # Sent before the submission is even imported: what it says is still dlprep's own word.
    wire.send(config["result_fd"], {"type": "isolation", "layers": layers})
    try:
        LearnerRun(config).main()
    except Stop:
        pass
