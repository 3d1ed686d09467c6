"""A user of its own for each learner's process, when dlprep runs as root (autograders, CI).

As Jobe and exercism's runners do: the process runs under an unprivileged user id with no
supplementary groups, so that the kernel's ordinary permission checks stand between it and every
other process and file. It cannot open another user's /proc/<pid>/mem or fd, signal or `prlimit`
the grader, or write the progress database. The ids need no entry in /etc/passwd; each process
gets its own (from its pid), so two grades running at once cannot reach each other either.

Python is often installed where other users cannot read it (pyenv under root's mode-700 home).
Then the process keeps one capability, CAP_DAC_READ_SEARCH (read files whatever their mode), and
only where Landlock will confine every read to the installation's own trees; every other
capability is dropped from it and from its bounding set.
"""

from __future__ import annotations

import ctypes
import os
import stat
import sys

from dlprep.grading.isolation.limits import _libc, _prctl

FIRST_ID = 2_000_000_000
"""Far above any id a system gives its users (they stop below 2³¹ − 1, nobody is 65534)."""
CAP_DAC_READ_SEARCH = 2
PR_SET_KEEPCAPS = 8
PR_CAPBSET_DROP = 24
_CAPABILITY_VERSION_3 = 0x20080522
_SYS_CAPSET = {"x86_64": 126, "aarch64": 91}


class _CapHeader(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]


class _CapData(ctypes.Structure):
    _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32), ("inheritable", ctypes.c_uint32)]


def available() -> bool:
    return os.geteuid() == 0


def id_for(pid: int) -> int:
    return FIRST_ID + pid % 1_000_000


def python_readable_by_others(paths: list[str]) -> bool:
    """Whether a user with no rights of its own can reach and list each of `paths` (Python's
    installation, dlprep): every directory on the way searchable by others, the last readable."""
    for path in map(os.path.realpath, paths):
        try:
            if not os.stat(path).st_mode & stat.S_IROTH:
                return False
            while True:
                if not os.stat(path).st_mode & stat.S_IXOTH:
                    return False
                parent = os.path.dirname(path)
                if parent == path:
                    break
                path = parent
        except OSError:
            return False
    return True


def become(uid: int, folder: str, *, keep_read_search: bool) -> None:
    """Hand `folder` (the process's private copy of the submission) to `uid`, then become it."""
    for root, dirs, files in os.walk(folder):
        for name in (root, *(os.path.join(root, entry) for entry in (*dirs, *files))):
            os.chown(name, uid, uid)
    if keep_read_search:
        with open("/proc/sys/kernel/cap_last_cap") as last:
            for cap in range(int(last.read()) + 1):
                if cap != CAP_DAC_READ_SEARCH:
                    _prctl(PR_CAPBSET_DROP, cap)
        _prctl(PR_SET_KEEPCAPS, 1)
    os.setgroups([])
    os.setresgid(uid, uid, uid)
    os.setresuid(uid, uid, uid)
    if keep_read_search:
        _capset(1 << CAP_DAC_READ_SEARCH)
        _prctl(PR_SET_KEEPCAPS, 0)
    os.environ["HOME"] = folder


def drop_capabilities() -> None:
    """Give up CAP_DAC_READ_SEARCH (when Landlock, which was to confine it, could not be set up)."""
    _capset(0)


def _capset(capabilities: int) -> None:
    """Make `capabilities` (a mask of the first 32) this process's effective and permitted ones, and no others."""
    data = (_CapData * 2)(_CapData(capabilities, capabilities, 0), _CapData(0, 0, 0))
    header = _CapHeader(_CAPABILITY_VERSION_3, 0)
    if _libc.syscall(_SYS_CAPSET[os.uname().machine], ctypes.byref(header), data) != 0:
        raise OSError(ctypes.get_errno(), "capset failed")


def installation() -> list[str]:
    """What the process must be able to read as its own user: Python, its packages, dlprep."""
    from dlprep import paths

    return list(dict.fromkeys([sys.base_prefix, sys.prefix, str(paths.PACKAGE_DIR)]))
