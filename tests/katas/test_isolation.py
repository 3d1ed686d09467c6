"""A determined student, class by class: the verdict rests on what the learner's process cannot reach.

Each test is one class of attack written as ordinary Python in a submission. None may end in a
pass, a read of a reference, a process started, a write outside the process's folder, a dlprep
traceback, or a process left behind. Most use the NumPy `softmax` kata: no torch to import, so
each grade takes a fraction of a second. CI runs as root, so the user layer is exercised too.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
import uuid

import pytest

from dlprep import paths, store
from dlprep.grading import DEFAULT_TIMEOUT_S, grader, isolation
from dlprep.katas.catalog import load

SOFTMAX = load().get("softmax")
REFERENCE = paths.reference("softmax").read_text()
LAYERS = isolation.offered()
STRONG = LAYERS["landlock"] is None and LAYERS["seccomp"] is None
needs_strong_layers = pytest.mark.skipif(not STRONG, reason=f"this machine lacks Landlock or seccomp: {LAYERS}")


def grade(tmp_path, body: str, *, kata=SOFTMAX, reference=REFERENCE, **options):
    file = tmp_path / f"{kata.id}.py"
    file.write_text(reference + "\n" + textwrap.dedent(body))
    started = time.monotonic()
    report = grader.grade(kata, file, options.pop("devices", ["cpu"]), **options)
    assert time.monotonic() - started < options.get("timeout_s", DEFAULT_TIMEOUT_S) + 15
    return report


def refused(report, kind="crash") -> str:
    assert not report.passed
    assert report.error is not None and report.error.kind == kind, report.error
    return report.error.message


# --- 1. forged or partial results -----------------------------------------------------------------

FORGE = """
    import os
    from dlprep.grading import wire
    def _writes(fd):
        flags = open(f"/proc/self/fdinfo/{fd}").read().split("flags:")[1].split()[0]
        return int(flags, 8) & 3 == os.O_WRONLY
    # dlprep's result channel: the one pipe open for writing besides stdout and stderr
    RESULT_FD = next(fd for fd in sorted(map(int, os.listdir("/proc/self/fd"))) if fd > 2 and _writes(fd))
    def forge(*frames):
        for frame in frames:
            wire.send(RESULT_FD, frame)
        os._exit(0)
"""


@pytest.mark.parametrize("forgery, says", [
    ('forge({"type": "done"})', "before case 1"),
    ('forge({"type": "case", "index": 99, "device": "cpu", "not_implemented": "softmax"})', "case 99"),
    ('forge({"type": "error", "kind": "passed", "message": "all good"})', "not one of the contract's"),
    ('forge([1, 2, 3])', "not a message"),
    ('forge({"type": "case", "index": 0, "device": "cuda", "not_implemented": "x"})', "device 'cuda'"),
    ('forge({"type": "isolation", "layers": {"user": True, "limits": True, "landlock": True, "seccomp": True}})', "out of place"),
    ('forge({"type": "devices", "devices": ["cpu", "cuda"]})', "not asked for"),
])
def test_forged_frames_are_refused(tmp_path, forgery, says):
    report = grade(tmp_path, FORGE + "    " + forgery)
    assert says in refused(report)


def test_a_declared_shape_must_be_the_datas(tmp_path):
    report = grade(tmp_path, FORGE + '''
    import json, struct
    header = json.dumps({"arrays": [{"dtype": "float64", "shape": [1000, 1000]}], "body": {"__array__": 0}}).encode()
    payload = struct.pack("!I", len(header)) + header + bytes(16)
    os.write(RESULT_FD, struct.pack("!Q", len(payload)) + payload)
    os._exit(0)
    ''')
    assert "shorter than their declared shapes" in refused(report)


def test_a_huge_frame_is_refused_unread(tmp_path):
    report = grade(tmp_path, FORGE + '''
    import struct
    os.write(RESULT_FD, struct.pack("!Q", 3 * 2**29))  # 1.5 GiB announced
    os.write(RESULT_FD, b"x" * 65536)
    os._exit(0)
    ''')
    assert "more than the" in refused(report)


def test_a_deeply_nested_frame_is_a_clean_crash(tmp_path):
    report = grade(tmp_path, FORGE + '''
    import struct
    body = b"[" * 200_000 + b"]" * 200_000
    header = b'{"arrays": [], "body": ' + body + b"}"
    payload = struct.pack("!I", len(header)) + header
    os.write(RESULT_FD, struct.pack("!Q", len(payload)) + payload)
    os._exit(0)
    ''')
    assert "not JSON" in refused(report)


def test_dropping_cases_is_not_a_pass(tmp_path):
    report = grade(tmp_path, """
        import os, atexit
        _real = softmax
        calls = []
        def softmax(z, axis=-1):
            calls.append(1)
            if len(calls) == 2:
                os._exit(0)  # two checks done, then quietly leave
            return _real(z, axis)
    """)
    assert "never reported" in refused(report) or "exited with status 0" in refused(report)


def test_a_tensor_subclass_cannot_describe_itself(tmp_path):
    attention = load().get("attention")
    report = grade(tmp_path, """
        class Liar(torch.Tensor):
            def detach(self):
                return torch.zeros(1)
        _real = self_attention
        def self_attention(Q, K, V, mask=None):
            out, w = _real(Q, K, V, mask)
            return out.as_subclass(Liar), w
    """, kata=attention, reference=paths.reference("attention").read_text())
    assert not report.passed
    assert any("subclass of torch.Tensor" in check.message for check in report.checks if not check.passed)


def test_claiming_a_gpu_that_is_not_there_is_refused(tmp_path):
    if grader.nvidia_present():
        pytest.skip("this machine has a GPU")
    report = grade(tmp_path, FORGE + "    " + 'forge({"type": "devices", "devices": ["cpu", "cuda"]})',
                   kata=load().get("attention"), reference=paths.reference("attention").read_text(), devices=None)
    assert "does not have" in refused(report)


# --- 2. resource attacks on the grader's side ----------------------------------------------------

@needs_strong_layers
def test_memory_hidden_in_a_memfd_or_shm_is_refused_or_counted(tmp_path):
    report = grade(tmp_path, """
        import os
        def softmax(z, axis=-1):
            outcome = []
            for make in (lambda: os.memfd_create("hoard"), lambda: os.open("/dev/shm/hoard", os.O_CREAT | os.O_RDWR)):
                try:
                    fd = make()
                except OSError as exc:
                    outcome.append(type(exc).__name__)
                    continue
                while True:
                    os.write(fd, b"x" * 2**24)
            print("memory:", outcome)
            raise ValueError("no memory hidden")
    """)
    assert not report.passed
    assert "memory: ['PermissionError', 'PermissionError']" in report.output


def test_memory_in_a_memfd_counts_when_the_layers_are_off(tmp_path):
    report = grade(tmp_path, """
        import os
        def softmax(z, axis=-1):
            fd = os.memfd_create("hoard")
            while True:
                os.write(fd, b"x" * 2**24)
    """, isolation_mode="off", memory_bytes=2**30)
    assert "memory" in refused(report)


def test_an_infinite_loop_is_reported_within_the_limit_naming_it_and_the_case(tmp_path):
    started = time.monotonic()
    report = grade(tmp_path, """
        def softmax(z, axis=-1):
            while True:
                pass
    """, timeout_s=3)
    assert time.monotonic() - started < 3 + 5
    message = refused(report, "timeout")
    assert "3 s" in message and "case 1" in message


# --- 3. reaching into the grader -----------------------------------------------------------------

REACH = """
    import os, ctypes
    def attempt(name, action):
        try:
            action()
            print(name, "SUCCEEDED")
        except OSError as exc:
            print(name, "refused:", type(exc).__name__)
    def softmax(z, axis=-1):
        parent = os.getppid()
        grader = int(open(f"/proc/{parent}/status").read().split("PPid:")[1].split()[0]) if os.path.exists(f"/proc/{parent}/status") else 1
        libc = ctypes.CDLL(None, use_errno=True)
        def syscall(*args):
            if libc.syscall(*args) != 0:
                raise OSError(ctypes.get_errno(), "refused")
        for pid in (parent, grader):
            attempt(f"read mem {pid == grader}", lambda: open(f"/proc/{pid}/mem", "rb").read(1))
            attempt(f"write mem {pid == grader}", lambda: open(f"/proc/{pid}/mem", "wb").write(b"x"))
            attempt(f"write stdout {pid == grader}", lambda: os.write(os.open(f"/proc/{pid}/fd/1", os.O_WRONLY), b'{"passed": true}'))
            attempt(f"signal {pid == grader}", lambda: os.kill(pid, signal.SIGSTOP))
            attempt(f"pidfd {pid == grader}", lambda: syscall(434, pid, 0))  # pidfd_open
            attempt(f"prlimit {pid == grader}", lambda: __import__("resource").prlimit(pid, __import__("resource").RLIMIT_CPU, (1, 1)))
        raise ValueError("nothing reached")
    import signal
"""


@needs_strong_layers
def test_the_grader_and_host_are_out_of_reach(tmp_path):
    report = grade(tmp_path, REACH)
    assert not report.passed and report.error is None
    assert "SUCCEEDED" not in report.output, report.output
    attempts = {line.split(" refused")[0] for line in report.output.splitlines() if " refused:" in line}
    assert len(attempts) == 12, report.output


# --- 4. escaping the audit hook ------------------------------------------------------------------

@needs_strong_layers
@pytest.mark.parametrize("escape", [
    "libc.system(b'echo STARTED')",
    "libc.popen(b'echo STARTED', b'r')",
    "(lambda pid: (print('STARTED'), os._exit(0)) if pid == 0 else None)(libc.fork())",
    "(lambda pid: (print('STARTED'), os._exit(0)) if pid == 0 else None)(libc.syscall(56, 17, 0, 0, 0, 0))",  # clone
    "__import__('multiprocessing').get_context('spawn').Process(target=print, args=('STARTED',)).start()",
    "__import__('subprocess').run(['echo', 'STARTED'])",
])
def test_no_process_can_be_started(tmp_path, escape):
    report = grade(tmp_path, f"""
        import ctypes, os
        libc = ctypes.CDLL(None, use_errno=True)
        def softmax(z, axis=-1):
            try:
                {escape}
            except BaseException as exc:
                print("refused:", type(exc).__name__)
            raise ValueError("still a stub")
    """)
    assert not report.passed
    assert "STARTED" not in report.output, report.output


@needs_strong_layers
@pytest.mark.parametrize("route", [
    "open(REFERENCE).read()",
    "os.read(os.open('softmax.py', os.O_RDONLY, dir_fd=os.open(os.path.dirname(REFERENCE), os.O_RDONLY)), 100)",
    "(os.symlink(REFERENCE, 'link'), open('link').read())",
    "__import__('sqlite3').connect(DATABASE).execute('INSERT INTO grades VALUES (NULL, \\'softmax\\', 1, \\'[]\\', 0, \\'2030\\', \\'x\\', NULL)')",
    "open(DATABASE, 'r+b').write(b'x')",
])
def test_references_and_progress_are_out_of_reach_by_every_route(tmp_path, route):
    with store.connect() as conn:
        before = conn.execute("SELECT COUNT(*) FROM grades").fetchone()[0]
    report = grade(tmp_path, f"""
        import os
        REFERENCE = {str(paths.reference('softmax'))!r}
        DATABASE = {str(paths.database())!r}
        os.path.realpath = lambda path: "/nowhere"  # the audit hook's own path check, switched off
        def softmax(z, axis=-1):
            try:
                {route}
                print("REACHED")
            except BaseException as exc:
                print("refused:", type(exc).__name__)
            raise ValueError("still a stub")
    """)
    assert not report.passed and "REACHED" not in report.output, report.output
    with store.connect() as conn:
        assert conn.execute("SELECT COUNT(*) FROM grades").fetchone()[0] == before


# --- 5. processes left behind --------------------------------------------------------------------

def _processes_marked(mark: str) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/environ", "rb") as environ:
                if mark.encode() in environ.read():
                    found.append(int(entry))
        except OSError:
            pass
    return found


@pytest.mark.parametrize("how", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGKILL])
def test_ending_the_grader_ends_the_learners_process(tmp_path, how):
    """Ctrl-C, SIGTERM and a closed terminal end dlprep through its cleanup (exit 130, saying so);
    even SIGKILL, which allows none, leaves no process behind (each dies with its parent)."""
    file = tmp_path / "softmax.py"
    file.write_text("import os\ntry:\n    os.fork()\n    os.setsid()\nexcept OSError:\n    pass\ndef softmax(z, axis=-1):\n    while True:\n        pass\ndef log_softmax(z, axis=-1):\n    pass\n")
    mark = f"DLPREP_TEST_MARK_{uuid.uuid4().hex}"
    env = {**os.environ, mark: "1"}
    cli = subprocess.Popen([sys.executable, "-m", "dlprep", "grade", "softmax", "--file", str(file), "--json"],
                           env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 30
    while len(_processes_marked(mark)) < 3 and time.monotonic() < deadline:  # dlprep, the host, the learner
        time.sleep(0.1)
    time.sleep(0.5)
    cli.send_signal(how)
    _, stderr = cli.communicate(timeout=10)
    if how != signal.SIGKILL:
        assert cli.returncode == 130 and "Interrupted" in stderr, (cli.returncode, stderr)
    deadline = time.monotonic() + 5
    while _processes_marked(mark) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _processes_marked(mark) == []


# --- 6. files the scan and the import read differently -------------------------------------------

def test_a_coding_declaration_is_honoured(tmp_path):
    file = tmp_path / "softmax.py"
    file.write_bytes(b"# -*- coding: latin-1 -*-\n# caf\xe9: a Latin-1 comment\n" + REFERENCE.encode())
    report = grader.grade(SOFTMAX, file, ["cpu"])
    assert report.passed, report.error


@pytest.mark.parametrize("source", ["x = " + "(" * 200_000 + ")" * 200_000 + "\n", "x = 1\0\n", b"\xff\xfe\x00".decode("latin-1")])
def test_an_unparseable_file_is_a_clean_syntax_error(tmp_path, source):
    file = tmp_path / "softmax.py"
    file.write_text(source, encoding="latin-1")
    report = grader.grade(SOFTMAX, file, ["cpu"])
    assert refused(report, "syntax")


def test_every_grade_says_which_layers_held(tmp_path):
    report = grader.grade(SOFTMAX, _reference_copy(tmp_path), ["cpu"])
    assert report.passed
    layers = report.to_dict()["isolation"]["layers"]
    assert layers == {layer: LAYERS[layer] is None for layer in isolation.LAYERS}
    json.dumps(report.to_dict())


def _reference_copy(tmp_path):
    file = tmp_path / "softmax.py"
    file.write_text(REFERENCE)
    return file
