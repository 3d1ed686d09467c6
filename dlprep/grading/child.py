"""The learner's process: imports the submission and runs the cases it is sent.

Started by `runner.LearnerProcess`; reads its cases from one pipe and writes one framed
message per event to another. It decides nothing: the grader compares what it reports.
"""

from __future__ import annotations

import contextlib
import importlib
import importlib.util
import json
import os
import sys
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
        self.trips: list[str] = []
        self.checks = None  # the kata's checks module, once imported

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

    def forbidden(self, api: str, exc: BaseException) -> None:
        self.fail("forbidden-api", f"{self.line_of(exc)} uses `{api}`, which this kata forbids: implement it yourself")

    def fatal(self, exc: BaseException, where: str) -> None:
        """Exceptions that end the whole run: exits, interrupts, memory."""
        from dlprep.grading.forbidden import ForbiddenAPIError

        if isinstance(exc, ForbiddenAPIError):
            self.forbidden(exc.api, exc)
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
            spec.loader.exec_module(module)
        except SyntaxError as exc:
            self.fail("syntax", f"line {exc.lineno}: {exc.msg}")
        except BaseException as exc:  # noqa: BLE001 - everything a submission can raise is reported
            self.fatal(exc, "while importing")
            self.fail("import", f"importing your file failed:\n{self.trimmed_traceback(exc)}")
        if self.trips:
            self.fail("forbidden-api", f"your file uses `{self.trips[0]}`, which this kata forbids")
        missing = [name for name in self.config["functions"] if not hasattr(module, name)]
        if missing:
            self.fail("missing-function", "your file does not define " + ", ".join(f"`{n}`" for n in missing))
        return module

    def device_trap(self, device: str):
        """On the CPU, a tensor created without `device=` lands on PyTorch's `meta` device.

        Such a tensor then shows (an output on meta, or an error mixing devices) without a
        GPU, at no cost to correct code, which never touches `meta`.
        """
        if device == "cpu" and self.config["framework"] == "torch" and getattr(self.checks, "DEVICE_TRAP", True):
            import torch

            return torch.device("meta")
        return contextlib.nullcontext()

    def run_case(self, module, checks, case, device: str) -> dict[str, Any]:
        from dlprep.grading.execute import ProtocolError, execute

        try:
            with self.device_trap(device):
                return {"result": execute(module, checks, case, self.config["framework"], device)}
        except NotImplementedError as exc:
            return {"not_implemented": self.innermost_function(exc) or case.call}
        except ProtocolError as exc:
            return {"exception": str(exc)}
        except Exception as exc:  # noqa: BLE001
            self.fatal(exc, f"in case '{case.name}'")
            message = self.trimmed_traceback(exc)
            if "device meta" in message:
                message += "\n(a tensor was created without device=: on the CPU, dlprep puts such tensors on `meta`; create them on the inputs' device)"
            return {"exception": message}
        except BaseException as exc:
            self.fatal(exc, f"in case '{case.name}'")
            raise
        finally:
            if self.trips:
                self.fail("forbidden-api", f"`{self.trips[0]}` was reached at run time in case '{case.name}'; this kata forbids it")

    def main(self) -> None:
        from dlprep.grading import forbidden, sandbox
        from dlprep.grading.spec import Case

        config = self.config
        if config["framework"] == "torch":
            import torch

            # A correct float32 submission must not fail because matmuls ran in TF32.
            torch.backends.cuda.matmul.allow_tf32 = False
            torch.backends.cudnn.allow_tf32 = False
            # Cases are tiny: threads only add contention, badly so on a busy machine.
            torch.set_num_threads(1)
        checks = self.checks = importlib.import_module(f"dlprep.grading.checks.{config['kata']}")
        forbidden.install_tripwires(tuple(config["forbidden"]), self.trips.append)
        sandbox.protect(config["hidden_dirs"], config["hidden_modules"])
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


def main() -> None:
    config = json.loads(sys.argv[1])
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    try:
        LearnerRun(config).main()
    except Stop:
        pass
    sys.stdout.flush()
    # Skip interpreter teardown: a submission's atexit handlers or threads must not run on.
    os._exit(0)


if __name__ == "__main__":
    main()
