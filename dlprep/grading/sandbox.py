"""What the learner's process may not do, enforced with an audit hook (PEP 578).

Installed after dlprep's own imports and before the submission is imported: from then on
the process cannot read or import the references, touch the learner's progress, or start
other processes. Verdicts never depend on this alone: every comparison happens in the
grader's process, which the learner's process cannot reach.
"""

from __future__ import annotations

import os
import sys

_PROCESS_EVENTS = frozenset({
    "subprocess.Popen", "os.system", "os.exec", "os.posix_spawn", "os.spawn",
    "os.fork", "os.forkpty", "os.kill", "os.killpg", "pty.spawn",
})
_PATH_EVENTS = frozenset({
    "open", "os.listdir", "os.scandir", "os.remove", "os.rename", "os.rmdir",
    "os.chmod", "os.truncate", "os.link", "os.symlink", "shutil.rmtree", "os.utime",
})


def protect(hidden_dirs: list[str], hidden_modules: list[str]) -> None:
    roots = tuple(os.path.realpath(d) for d in hidden_dirs)
    prefixes = tuple(m + "." for m in hidden_modules)
    modules = frozenset(hidden_modules)

    def hidden(path) -> bool:
        if isinstance(path, int):
            return False
        try:
            real = os.path.realpath(os.fsdecode(path))
        except (TypeError, ValueError):
            return False
        return any(real == root or real.startswith(root + os.sep) for root in roots)

    def hook(event: str, args: tuple) -> None:
        if event in _PATH_EVENTS:
            if args and (hidden(args[0]) or (event in {"os.rename", "os.link", "os.symlink"} and hidden(args[1]))):
                raise PermissionError(f"dlprep: the grader keeps this path out of reach: {args[0]}")
        elif event == "import":
            name = args[0]
            if name in modules or name.startswith(prefixes):
                raise PermissionError(f"dlprep: the reference implementations cannot be imported: {name}")
        elif event in _PROCESS_EVENTS:
            raise PermissionError(f"dlprep: submissions may not start or signal processes ({event})")

    sys.addaudithook(hook)
