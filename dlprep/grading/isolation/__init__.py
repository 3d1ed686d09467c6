"""How the learner's process is shut in, layer by layer; applied in one place and one order.

The verdict never rests on the learner's process behaving: the grader checks everything it
sends (`frames`). What it can reach is bounded by the operating system, in this order, as the
process starts (after Python, NumPy and torch are imported, before the submission is):

1. `user`: a user of its own when dlprep runs as root (autograders, CI), no supplementary groups;
2. `limits`: it dies with its parent, has a CPU-time limit, capped address space and file sizes,
   and no way to gain privileges;
3. `landlock`: it may read what Python, NumPy and torch need and write only its own folder;
4. `seccomp`: no new processes, no signals, tracing or memory access to other processes.

The audit hook (`sandbox`) comes after them, as a friendly first word for honest mistakes,
never as the guarantee: code in the same process can switch it off (PEP 578).
`--isolation strict` refuses to grade without the strong layers (a user of its own or Landlock,
and seccomp); `auto` applies whatever the machine offers and the grade says which; `off` applies
none (for debugging dlprep itself).
"""

from __future__ import annotations

import os
import sys
from dataclasses import asdict, dataclass

from dlprep.grading.isolation import landlock, limits, seccomp, user

MODES = ("strict", "auto", "off")
LAYERS = ("user", "limits", "landlock", "seccomp")


class IsolationError(Exception):
    """`strict` was asked for, and a strong layer cannot be set up here."""


@dataclass(frozen=True)
class Plan:
    mode: str
    folder: str
    """The process's own folder, holding its copy of the submission: the only place it may write."""
    hidden: tuple[str, ...]
    """Never readable, even inside a readable tree: the references, the progress database."""
    cpu_seconds: int
    memory_bytes: int | None
    """Address-space cap; None with CUDA."""
    file_bytes: int
    parent: int
    cuda: bool = False

    def to_dict(self) -> dict:
        return asdict(self)


def offered() -> dict[str, str | None]:
    """What this machine offers, by layer: None where it does, the reason where it does not."""
    version = landlock.abi()
    return {
        "user": _why_no_user(bool(version)),
        "limits": None if sys.platform.startswith("linux") else "not Linux",
        "landlock": None if version else "the kernel has no Landlock (Linux 5.13 or later, enabled at boot)",
        "seccomp": None if seccomp.available() else "libseccomp is not installed, or the kernel has no seccomp",
    }


def learn_the_machine() -> None:
    """Ask the kernel once what it offers (the answers are cached): the learner host asks before
    it forks, so that no learner's process spends its time limit asking again."""
    landlock.abi()
    seccomp.available()


def _why_no_user(landlock_available: bool) -> str | None:
    if not user.available():
        return "dlprep does not run as root, so it cannot give the process a user of its own"
    if not landlock_available and not user.python_readable_by_others(user.installation()):
        return "Python's installation is readable by its owner only, and there is no Landlock to confine a reading capability"
    return None


def check_strict(mode: str) -> None:
    """Refuse `strict` before anything starts when the strong layers cannot be had."""
    if mode != "strict":
        return
    missing = {layer: why for layer, why in offered().items() if why}
    if "user" in missing and "landlock" in missing:
        raise IsolationError(f"--isolation strict needs a user of its own or Landlock: {missing['user']}; {missing['landlock']}")
    if "seccomp" in missing:
        raise IsolationError(f"--isolation strict needs seccomp: {missing['seccomp']}")


def apply(plan: Plan) -> dict[str, bool]:
    """Shut this process in as `plan` says; which layers hold. In `strict`, a strong layer that
    fails raises IsolationError (the process must then not run the submission)."""
    active = dict.fromkeys(LAYERS, False)
    if plan.mode == "off":
        return active
    landlock_available = bool(landlock.abi())
    # Python readable only by root (pyenv in /root): the user keeps one reading capability, which
    # Landlock then confines to the installation's own trees.
    read_search = not user.python_readable_by_others(user.installation())
    steps = (
        ("user", lambda: _why_no_user(landlock_available) is None,
         lambda: user.become(user.id_for(os.getpid()), plan.folder, keep_read_search=read_search)),
        ("limits", lambda: True, lambda: _limits(plan)),
        ("landlock", lambda: landlock_available, lambda: _landlock(plan)),
        ("seccomp", seccomp.available, seccomp.restrict),
    )
    for layer, can, step in steps:
        if not can():
            continue
        try:
            step()
        except OSError as exc:
            if plan.mode == "strict" and layer != "limits":
                raise IsolationError(f"the {layer} layer could not be set up: {exc}") from None
            continue
        active[layer] = True
    if active["user"] and read_search and not active["landlock"]:
        user.drop_capabilities()  # never read everything: without Landlock the capability goes
    if plan.mode == "strict" and not ((active["user"] or active["landlock"]) and active["seccomp"]):
        raise IsolationError("--isolation strict: the strong layers did not all take hold")
    return active


def _limits(plan: Plan) -> None:
    limits.die_with_parent(plan.parent)
    limits.cap(cpu_seconds=plan.cpu_seconds, memory_bytes=plan.memory_bytes, file_bytes=plan.file_bytes)
    limits.no_new_privileges()


SYSTEM = ["/usr", "/lib", "/lib32", "/lib64", "/proc", "/sys"]
"""Shared libraries (torch loads some lazily), and the process's own view of itself and the CPUs."""
SYSTEM_FILES = ["/etc/ld.so.cache", "/etc/ld.so.conf", "/etc/ld.so.conf.d", "/etc/localtime", "/etc/nsswitch.conf",
                "/etc/passwd", "/etc/group", "/etc/os-release"]
DEVICES = ["/dev/null", "/dev/zero", "/dev/urandom", "/dev/random", "/dev/full"]


def _landlock(plan: Plan) -> None:
    import site

    sites = [*site.getsitepackages(), site.getusersitepackages()]
    readable = [*user.installation(), sys.exec_prefix, *sites, *SYSTEM, *SYSTEM_FILES]
    devices = list(DEVICES)
    if plan.cuda:
        readable.append("/proc/driver")
        devices += [os.path.join("/dev", name) for name in os.listdir("/dev") if name.startswith("nvidia")]
    readable = [path for path in readable if path and os.path.exists(path)]
    landlock.restrict(readable=readable, writable=[plan.folder], devices=devices, hidden=list(plan.hidden))
