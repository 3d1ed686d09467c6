"""seccomp: system calls the learner's process is refused, whatever Python or C code makes them.

An audit hook sees only what Python reports; `ctypes` calling libc's `system`, `_posixsubprocess`,
or a `multiprocessing` child walk around it. A seccomp filter sits in the kernel: once loaded it
holds for every thread and cannot be removed. It refuses (EPERM) creating processes (threads
remain: `clone` with CLONE_THREAD), running programs, signalling or tracing other processes,
reading or writing their memory, changing their limits, anonymous in-memory files (memfd, which
would hide memory from the grader's watch), io_uring (which bypasses seccomp), new namespaces
and network sockets. Built with libseccomp (installed with most distributions, maintained by
the kernel's seccomp developers) through a small ctypes layer: its Python binding is not on PyPI.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import functools
import os

_ALLOW = 0x7FFF0000
_ATTR_TSYNC = 4
CLONE_THREAD = 0x00010000
_NE, _EQ, _MASKED_EQ = 1, 4, 7
AF_INET, AF_INET6 = 2, 10

REFUSED = (
    "fork", "vfork", "execve", "execveat", "ptrace", "process_vm_readv", "process_vm_writev",
    "pidfd_open", "pidfd_send_signal", "pidfd_getfd", "tkill", "kcmp", "memfd_create", "memfd_secret",
    "io_uring_setup", "unshare", "setns", "mount", "bpf", "userfaultfd",
    "open_by_handle_at", "name_to_handle_at",  # opening by file handle walks no path
)
"""Refused outright."""


class _ArgCmp(ctypes.Structure):
    _fields_ = [("arg", ctypes.c_uint), ("op", ctypes.c_int), ("datum_a", ctypes.c_uint64), ("datum_b", ctypes.c_uint64)]


def _errno_action(code: int) -> int:
    return 0x00050000 | (code & 0xFFFF)


@functools.cache
def _library():
    name = ctypes.util.find_library("seccomp") or "libseccomp.so.2"
    try:
        lib = ctypes.CDLL(name, use_errno=True)
    except OSError:
        return None
    lib.seccomp_init.restype = ctypes.c_void_p
    lib.seccomp_init.argtypes = [ctypes.c_uint32]
    lib.seccomp_syscall_resolve_name.argtypes = [ctypes.c_char_p]
    lib.seccomp_rule_add_array.argtypes = [ctypes.c_void_p, ctypes.c_uint32, ctypes.c_int, ctypes.c_uint, ctypes.POINTER(_ArgCmp)]
    lib.seccomp_attr_set.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.c_uint32]
    lib.seccomp_load.argtypes = [ctypes.c_void_p]
    lib.seccomp_release.argtypes = [ctypes.c_void_p]
    return lib


@functools.cache
def available() -> bool:
    return os.path.exists("/proc/self/status") and _library() is not None and _mode_supported()


def _mode_supported() -> bool:
    with open("/proc/self/status") as status:
        return any(line.startswith("Seccomp:") for line in status)


def restrict() -> None:
    """Load the filter for every thread of this process and everything it could start."""
    lib = _library()
    if lib is None:
        raise OSError("libseccomp is not installed")
    ctx = lib.seccomp_init(_ALLOW)
    if not ctx:
        raise OSError("seccomp_init failed")
    me = os.getpid()
    eperm = _errno_action(errno.EPERM)
    try:
        def rule(name: str, action: int, *comparisons: tuple[int, int, int, int]) -> None:
            number = lib.seccomp_syscall_resolve_name(name.encode())
            if number < 0:
                return  # this architecture has no such call
            array = (_ArgCmp * len(comparisons))(*(_ArgCmp(*c) for c in comparisons))
            if lib.seccomp_rule_add_array(ctx, action, number, len(comparisons), array) != 0:
                raise OSError(f"seccomp rule for {name} was refused")

        for name in REFUSED:
            rule(name, eperm)
        rule("clone", eperm, (0, _MASKED_EQ, CLONE_THREAD, 0))  # a new process, not a thread
        # clone3's flags are inside a struct the filter cannot read: ENOSYS makes glibc fall back
        # to clone, which the rule above judges.
        rule("clone3", _errno_action(errno.ENOSYS))
        for name in ("kill", "tgkill", "rt_sigqueueinfo", "rt_tgsigqueueinfo"):
            rule(name, eperm, (0, _NE, me, 0))  # signals only to itself
        rule("prlimit64", eperm, (0, _NE, 0, 0))  # its own limits only, named as pid 0
        for family in (AF_INET, AF_INET6):
            rule("socket", eperm, (0, _EQ, family, 0))
        if lib.seccomp_attr_set(ctx, _ATTR_TSYNC, 1) != 0:
            raise OSError("seccomp could not cover every thread")
        if lib.seccomp_load(ctx) != 0:
            raise OSError(ctypes.get_errno(), "seccomp_load failed")
    finally:
        lib.seccomp_release(ctx)
