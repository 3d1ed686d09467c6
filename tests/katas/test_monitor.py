"""The learner-process monitor, family by family: device placement, forbidden work, notes.

Each family is a list of small submissions. The correct ones are the idioms candidates write
and that work on CUDA; the mistakes are what would raise or silently move data there, or reach
work the kata forbids. The monitor runs here in the test's process, on code loaded from a file,
exactly as the learner's process runs it (end-to-end grades are in test_hostile.py and the corpus).
"""

from __future__ import annotations

import importlib.util
import sys
import textwrap

import pytest
import torch

from dlprep.grading.forbidden import ForbiddenAPIError
from dlprep.grading.monitor import Monitor
from dlprep.grading.spec import Case
from dlprep.katas.catalog import load

HEADER = "import math\nimport numpy as np\nimport torch\nimport torch.nn as nn\nimport torch.nn.functional as F\n"


@pytest.fixture(autouse=True)
def _own_import_machinery(monkeypatch):
    """A monitor adds an import blocker; each test gets its own copy of sys.meta_path."""
    monkeypatch.setattr(sys, "meta_path", list(sys.meta_path))


def watch(tmp_path, body: str, *args, kata: str | None = None, case: Case | None = None):
    """Run `run(*args)` from `body` under a monitor; (findings, trips, error raised or None)."""
    file = tmp_path / "submission.py"
    file.write_text(HEADER + textwrap.dedent(body))
    spec = importlib.util.spec_from_file_location("submission_under_watch", file)
    module = importlib.util.module_from_spec(spec)
    forbidden = load().get(kata) if kata else None
    monitor = Monitor(str(file), "torch", forbidden.forbidden if forbidden else (), forbidden.forbidden_ops if forbidden else ())
    monitor.install()
    error = None
    with monitor.case():
        spec.loader.exec_module(module)
    with monitor.case(case) as found:
        try:
            result = module.run(*args)
            monitor.returned({"out": result} if not isinstance(result, tuple) else {f"out[{i}]": r for i, r in enumerate(result)})
        except ForbiddenAPIError as exc:
            error = exc
    return found, monitor.trips, error


def inputs():
    g = torch.Generator().manual_seed(0)
    return torch.randn(2, 4, 3, dtype=torch.float64, generator=g, requires_grad=True)


# --- device placement ----------------------------------------------------------------------------

CORRECT_ON_ANY_DEVICE = {
    "CPU-built mask moved with .to(device)": """
        def run(x):
            n = x.shape[-2]
            return torch.tril(torch.ones(n, n, dtype=torch.bool)).to(x.device)
    """,
    "table built on the CPU, moved with .to(device=, dtype=)": """
        def run(x):
            pe = torch.zeros(x.shape[-2], x.shape[-1])
            pe[:, 0::2] = torch.sin(torch.arange(x.shape[-2])[:, None] * 1.0)
            return x + pe.to(device=x.device, dtype=x.dtype)
    """,
    "targets moved to the logits' device": """
        def run(x):
            targets = torch.arange(x.shape[-1]).to(x.device)
            return x.gather(-1, targets.expand(*x.shape[:-1], -1))
    """,
    "a 0-dim tensor from a Python number, used as the scale": """
        def run(x):
            return x / torch.sqrt(torch.tensor(x.shape[-1], dtype=x.dtype))
    """,
    "torch.where with a 0-dim -inf": """
        def run(x):
            return torch.where(x > 0, torch.tensor(float("-inf")), x)
    """,
    "tensors made like the input": """
        def run(x):
            return x + torch.zeros_like(x) + x.new_ones(x.shape) + torch.full_like(x, 2.0)
    """,
    "device= and dtype= of the input": """
        def run(x):
            return x * torch.ones(x.shape[-1], device=x.device, dtype=x.dtype)
    """,
    "a CPU index tensor in Python indexing": """
        def run(x):
            return x[:, torch.tensor([0, 2])]
    """,
    "a CPU tensor copied into one on the device": """
        def run(x):
            out = torch.empty_like(x)
            out.copy_(torch.ones(x.shape))
            return out * x
    """,
    "factories inside `with torch.device(x.device)`": """
        def run(x):
            with torch.device(x.device):
                ramp = torch.arange(x.shape[-1], dtype=x.dtype)
            return x * ramp
    """,
    "a module built on the CPU and moved with .to(x.device)": """
        def run(x):
            layer = nn.Linear(x.shape[-1], 5).to(x.device, x.dtype)
            return layer(x)
    """,
    "a module-level 0-dim constant": """
        HALF = torch.tensor(0.5)
        def run(x):
            return x * HALF
    """,
    "stack of per-step results on the device": """
        def run(x):
            return torch.stack([x[..., i] * 2 for i in range(x.shape[-1])], dim=-1)
    """,
    "a float64 accumulator made like the input": """
        def run(x):
            total = torch.zeros((), dtype=torch.float64, device=x.device)
            for row in x.unbind(0):
                total = total + row.sum()
            return total
    """,
}


@pytest.mark.parametrize("name", CORRECT_ON_ANY_DEVICE)
def test_correct_placement_is_not_flagged(tmp_path, name):
    found, trips, error = watch(tmp_path, CORRECT_ON_ANY_DEVICE[name], inputs())
    assert error is None and not trips
    assert found.device == [], found.device


DEVICE_MISTAKES = {
    "a mask built on the CPU, returned": ("""
        def run(x):
            n = x.shape[-2]
            return torch.ones(n, n, dtype=torch.bool).tril()
    """, "would stay on the CPU", "line 9"),
    "a CPU vector added to the input": ("""
        def run(x):
            return x + torch.zeros(x.shape[-1])
    """, "combines the inputs", "line 8"),
    "a CPU mask in masked_fill": ("""
        def run(x):
            keep = torch.ones(x.shape[-2:], dtype=torch.bool).tril()
            return x.masked_fill(~keep, 0.0)
    """, "combines the inputs", "line 8"),
    "a CPU index tensor in index_select": ("""
        def run(x):
            return x.index_select(-1, torch.arange(2))
    """, "combines the inputs", "line 8"),
    "torch.tensor of a list": ("""
        def run(x):
            return x * torch.tensor([1.0, 2.0, 3.0], dtype=x.dtype)
    """, "combines the inputs", "line 8"),
    "a NumPy array brought in with from_numpy": ("""
        def run(x):
            return x * torch.from_numpy(np.ones(3))
    """, "combines the inputs", "line 8"),
    "a .numpy() round trip": ("""
        def run(x):
            return torch.from_numpy(x.detach().numpy() * 2).to(x.device)
    """, ".numpy()", "line 8"),
    "an output moved to the CPU": ("""
        def run(x):
            return (x * 2).cpu()
    """, "would stay on the CPU", "line 8"),
    "a hard-coded .to('cpu')": ("""
        def run(x):
            return (x * 2).to("cpu")
    """, "would stay on the CPU", "line 8"),
    "device='cpu' hard-coded in a factory": ("""
        def run(x):
            return x + torch.zeros(x.shape[-1], device="cpu", dtype=x.dtype)
    """, "combines the inputs", "line 8"),
    "a stack of 0-dim CPU tensors is a CPU vector": ("""
        def run(x):
            w = torch.stack([torch.tensor(1.0), torch.tensor(2.0), torch.tensor(3.0)])
            return x * w.to(x.dtype)
    """, "combines the inputs", "line 9"),
    "a layer built in forward, never moved": ("""
        def run(x):
            layer = nn.Linear(x.shape[-1], 5, dtype=x.dtype)
            return layer(x)
    """, "combines the inputs", "line 9"),
    "a 0-dim CPU result returned": ("""
        def run(x):
            return torch.tensor(0.0, dtype=x.dtype) + 1.0
    """, "would stay on the CPU", "line 8"),
}


@pytest.mark.parametrize("name", DEVICE_MISTAKES)
def test_device_mistake_is_flagged_with_its_line(tmp_path, name):
    body, says, line = DEVICE_MISTAKES[name]
    found, _, _ = watch(tmp_path, body, inputs())
    assert found.device, f"{name}: not flagged"
    assert says in found.device[0] and line in found.device[0], found.device


@pytest.mark.parametrize("signature, advice", [("x", "device=x.device"), ("x, device=None", "device=device")])
def test_the_advice_names_the_device_the_function_is_told(tmp_path, signature, advice):
    """`causal_mask(n, device=None)` is told its device: the fix is device=device, not x.device."""
    found, _, _ = watch(tmp_path, f"""
        def run({signature}):
            return x + torch.arange(x.shape[-1])
    """, inputs())
    assert found.device and f"Create it with {advice}" in found.device[0], found.device


def test_a_plain_tensor_attribute_of_a_module_stays_behind_when_it_moves(tmp_path):
    """Module.to moves parameters and buffers; a tensor kept as a plain attribute stays on the CPU."""
    body = """
        class Scaled(nn.Module):
            def __init__(self, d):
                super().__init__()
                self.proj = nn.Linear(d, d)
                self.register_buffer("shift", torch.zeros(d))
                self.scale = torch.ones(d)
            def forward(self, x, use_scale):
                y = self.proj(x) + self.shift
                return y * self.scale if use_scale else y
        def run(x, use_scale):
            block = Scaled(x.shape[-1]).to(device=x.device, dtype=x.dtype)
            return block(x, use_scale)
    """
    clean, _, _ = watch(tmp_path, body, inputs(), False)
    assert clean.device == []
    flagged, _, _ = watch(tmp_path, body, inputs(), True)
    assert flagged.device and "line 15" in flagged.device[0] and "line 12" in flagged.device[0]


@pytest.mark.parametrize("sync, says", [
    ("x.sum().item() > 0", "`.item()`"),
    ("bool(x.sum() > 0)", "Python `if`"),
    ("float(x.detach().max()) > 0", "float(tensor)"),
])
def test_host_syncs_are_notes_not_failures(tmp_path, sync, says):
    found, trips, _ = watch(tmp_path, f"""
        def run(x):
            return x * 2 if {sync} else x
    """, inputs())
    assert found.device == [] and not trips
    assert any(says in note and "line 8" in note for note in found.notes), found.notes


# --- forbidden work ------------------------------------------------------------------------------

SDPA = '"scaled_dot_" + "product_attention"'
ROUTES_TO_SDPA = {
    "F by a built name": f"getattr(F, {SDPA})",
    "torch._C._nn": f"getattr(torch._C._nn, {SDPA})",
    "torch.ops.aten": f"getattr(torch.ops.aten, {SDPA})",
    "an OpOverload's own _op": f"getattr(torch.ops.aten, {SDPA}).default._op",
    "found through gc": f"next(o for o in __import__('gc').get_objects() if getattr(o, '__name__', '') == {SDPA} and callable(o))",
    "under DisableTorchFunction": None,
}


@pytest.mark.parametrize("route", ROUTES_TO_SDPA)
def test_every_route_to_forbidden_work_trips(tmp_path, route):
    expression = ROUTES_TO_SDPA[route]
    if expression is None:
        body = f"""
            def run(q):
                fn = getattr(F, {SDPA})
                with getattr(torch._C, "DisableTorch" + "Function")():
                    return fn(q, q, q)
        """
    else:
        body = f"""
            def run(q):
                fn = {expression}
                try:
                    return fn(q, q, q)
                except BaseException:  # the submission hides the trip: it is recorded anyway
                    return q
        """
    found, trips, _ = watch(tmp_path, body, inputs(), kata="attention")
    assert trips, f"{route}: not tripped"
    if expression is None:  # only the ATen operators still show: the math path's own softmax
        assert trips[0][0] == "aten::_safe_softmax" and "switched off" in found.tampered
    else:
        assert "scaled_dot_product_attention" in trips[0][0]


def test_a_copy_of_a_forbidden_function_compiled_again_trips(tmp_path):
    body = """
        import inspect
        source = inspect.getsource(F.cross_entropy)
        scope = dict(vars(F))
        exec(compile(source, F.__file__, "exec"), scope)
        def run(x):
            return scope["cross_entropy"](x.reshape(-1, 3), torch.zeros(8, dtype=torch.long))
    """
    _, trips, _ = watch(tmp_path, body, inputs(), kata="classification_losses")
    assert trips and "cross_entropy" in trips[0][0]


def test_forbidden_python_classes_trip_when_they_run(tmp_path):
    body = """
        def run(x):
            lstm = getattr(nn, "LST" + "MCell")(3, 2).to(x.dtype)
            return lstm(x[0])
    """
    _, trips, _ = watch(tmp_path, body, inputs(), kata="lstm")
    assert trips and "LSTM" in trips[0][0]


ALLOWED_INTERNAL_USE = {
    "lstm": "torch.sigmoid(torch.cat(x.split(1, dim=-1), -1)) * torch.stack(x.chunk(3, -1), 0).sum(0)",
    "gru": "torch.tanh(x.split([1, 2], dim=-1)[1]).sum(-1, keepdim=True) * x",
    "rnn": "torch.split(x, 1, -1)[0] * torch.unbind(x, -1)[1].unsqueeze(-1)",
    "grad_clipping": "torch.stack(torch._foreach_norm([x, x * 2]))",
    "classification_losses": "torch.logsumexp(x, -1) - F.logsigmoid(x).sum(-1) + F.softplus(x).mean(-1)",
    "attention": "torch.softmax(x @ x.transpose(-2, -1), dim=-1) @ x",
}


@pytest.mark.parametrize("kata", ALLOWED_INTERNAL_USE)
def test_pytorchs_own_use_on_behalf_of_an_allowed_call_never_trips(tmp_path, kata):
    found, trips, error = watch(tmp_path, f"""
        def run(x):
            return {ALLOWED_INTERNAL_USE[kata]}
    """, inputs(), kata=kata)
    assert error is None and not trips and found.tampered is None


def test_importing_torch_is_not_using_torch_optim(tmp_path):
    """In lr_schedules torch.optim is forbidden; `import torch` loads it, and that is torch's doing.
    (A process of its own: torch is already imported in this one.)"""
    from dlprep import paths
    from dlprep.grading import grader

    file = tmp_path / "lr_schedules.py"
    file.write_text("import torch\n" + paths.reference("lr_schedules").read_text())
    report = grader.grade(load().get("lr_schedules"), file, ["cpu"])
    assert report.passed, report.error


def test_the_span_limit_sees_a_full_score_matrix(tmp_path):
    """flash attention must never hold all L queries against all S keys at once."""
    case = Case("spans", "run", {}, no_tensor_spanning=(5, 7))
    blocked = """
        def run(q, k):
            out = []
            for j in range(0, k.shape[-2], 3):
                out.append(q @ k[..., j:j + 3, :].transpose(-2, -1))  # (B, 5, <=3)
            return torch.cat(out, -1).sum(-1)
    """
    full = """
        def run(q, k):
            return (q @ k.transpose(-2, -1)).sum(-1)  # (B, 5, 7)
    """
    q, k = torch.randn(2, 5, 4), torch.randn(2, 7, 4)
    assert watch(tmp_path, blocked, q, k, case=case)[0].spanning is not None  # the cat joins the blocks
    one_block = blocked.replace("torch.cat(out, -1).sum(-1)", "sum(o.sum(-1) for o in out)")
    assert watch(tmp_path, one_block, q, k, case=case)[0].spanning is None
    found, _, _ = watch(tmp_path, full, q, k, case=case)
    assert found.spanning is not None and "(2, 5, 7)" in found.spanning and "line 8" in found.spanning


def test_removing_the_monitor_is_seen(tmp_path):
    found, _, _ = watch(tmp_path, """
        from torch.overrides import _pop_mode
        def run(x):
            _pop_mode()
            return x * 2
    """, inputs())
    assert found.tampered is not None and "removed" in found.tampered
