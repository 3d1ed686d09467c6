"""What the learner's process watches while the submission runs, reported as data the grader judges.

Three things are watched, each where every route to it meets:

- **Forbidden work.** A call the kata forbids trips whichever way the learner reaches it: by name,
  alias, `getattr`, `torch._C._nn.*`, `torch.ops.aten.*`, a function object found through `gc`, or a
  re-executed copy of a torch module. In torch katas, every torch call the learner makes is seen
  (a `TorchFunctionMode`): builtins and operators by identity and by operator name, Python code of
  a forbidden API by the frames the calls come from; the ATen operators that do the work are
  seen when they execute (a `TorchDispatchMode`). Elsewhere a profile hook sees forbidden Python
  code run. PyTorch's own use of an operator on behalf of an allowed call (`Tensor.split`
  calls `torch._VF.split`) happens inside that call and is never the learner's.
- **Device mistakes.** Without a GPU, tensors are followed instead: one created by the learner
  without `device=` (or moved to the CPU) is marked, its mark travels through the operators that
  use it, and it is reported only where it would raise or silently move data on a CUDA input:
  when a marked tensor of one or more dimensions meets an unmarked one in an operator, or when a
  marked tensor is returned. 0-dim tensors mix freely with CUDA ones and are never reported; a
  tensor moved with `.to(...)` is clean. `.item()` and a Python `if` on a tensor are host syncs: notes.
- **Tensors too large**, for katas that must never hold a full (L, S) block (`Case.no_tensor_spanning`).

`Monitor.install()` runs once, before the submission is imported; `with monitor.case(case):` wraps
each case. Everything found is in `monitor.findings()`, plain data.
"""

from __future__ import annotations

import fnmatch
import importlib.util
import linecache
import os
import re
import sys
import types
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Iterator

from dlprep import paths
from dlprep.grading.forbidden import TENSOR_METHOD, ForbiddenAPIError

LEARNER, GRADER, LIBRARY, IMPORT = "learner", "grader", "library", "import"
_MARK = "_dlprep_cpu_origin"
"""Attribute set on a tensor the learner placed on the CPU: where it was made, for the message."""
_HARD_CODED_CPU = re.compile(r"""["']cpu(:0)?["']""")


@dataclass
class Findings:
    """What one case showed; `to_dict` is what the learner's process sends."""

    device: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    spanning: str | None = None
    tampered: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"device": self.device, "notes": self.notes, "spanning": self.spanning, "tampered": self.tampered}


class Monitor:
    def __init__(self, learner_file: str, framework: str, forbidden: tuple[str, ...], forbidden_ops: tuple[str, ...]):
        self.learner_file = learner_file
        self.framework = framework
        self.forbidden = forbidden
        self.trips: list[tuple[str, str]] = []
        """(api, where) for every forbidden use, recorded even if the submission swallows the exception."""
        self._grader_root = str(paths.PACKAGE_DIR) + os.sep
        self._file_kind: dict[str, str] = {}
        self._code_api: dict[types.CodeType, str | None] = {}
        self._callables: dict[int, tuple[Any, str]] = {}
        """id -> (object, api) for every forbidden builtin, function and method: the object is kept
        alive so that its id cannot be reused."""
        self._module_dirs: list[tuple[str, str]] = []
        """(path prefix, api) for forbidden modules: any code from those files is forbidden."""
        self._forbidden_codes: dict[types.CodeType, str] = {}
        self._forbidden_names: dict[tuple[str, str], str] = {}
        """(file, qualified name) -> api: a copy of forbidden code compiled again from the same file."""
        self._op_patterns = tuple(forbidden_ops)
        self._op_api: dict[str, str | None] = {}
        self._call_verdicts: dict[int, tuple[Any, str | None]] = {}
        """id -> (function, forbidden api or None): each function the learner calls is judged once."""
        self._case = None
        self._found = Findings()
        self._depth = 0
        """How many function-mode handlers are running: inside one, torch function dispatch is off by design."""
        self._function_mode = None
        self._dispatch_mode = None

    # --- where a call comes from ---------------------------------------------------------------

    def _kind(self, filename: str) -> str:
        kind = self._file_kind.get(filename)
        if kind is None:
            if filename == self.learner_file:
                kind = LEARNER
            elif filename.startswith(self._grader_root):
                kind = GRADER
            elif filename.startswith("<frozen importlib"):
                kind = IMPORT
            else:
                kind = LIBRARY
            self._file_kind[filename] = kind
        return kind

    def _caller(self, frame) -> tuple[str, Any] | None:
        """The nearest frame, from `frame` outwards, that is the learner's or the grader's. Code that
        runs because a module is being imported (torch loading its own parts) is nobody's call.

        A forbidden API written in Python (torch.optim's step, nn.LSTM's forward) shows here as the
        library frames an operator is called from: when the learner's frame is reached through
        one, the call trips."""
        forbidden = None
        while frame is not None:
            kind = self._kind(frame.f_code.co_filename)
            if kind is IMPORT:
                return None
            if kind is not LIBRARY:
                if forbidden is not None and kind is LEARNER:
                    self.trip(forbidden, frame)
                return kind, frame
            if forbidden is None:
                forbidden = self._api_of_code(frame.f_code)
            frame = frame.f_back
        return None

    def _learner_frame(self, frame):
        """The nearest learner frame on the stack, whatever library code lies between (not an import)."""
        while frame is not None:
            kind = self._kind(frame.f_code.co_filename)
            if kind is LEARNER:
                return frame
            if kind is IMPORT:
                return None
            frame = frame.f_back
        return None

    # --- forbidden work ------------------------------------------------------------------------

    def install(self) -> None:
        """Resolve the forbidden entries, block forbidden imports; before the submission is imported."""
        blocked: list[str] = []
        for entry in self.forbidden:
            if entry.startswith(TENSOR_METHOD):
                if "torch" in sys.modules:
                    self._forbid_object(getattr(sys.modules["torch"].Tensor, entry.removeprefix(TENSOR_METHOD), None), entry)
                continue
            if entry.split(".")[0] not in sys.modules:
                blocked.append(entry)  # nothing of it is loaded: importing it is the only way in
                self._forbid_path(entry)
                continue
            found = _resolve(entry)
            for api, value in found:
                self._forbid_object(value, api)
            if not found:
                blocked.append(entry)
        if blocked:
            sys.meta_path.insert(0, _ImportBlocker(tuple(blocked), self))
        if self.framework == "torch":
            self._function_mode, self._dispatch_mode = _torch_modes(self)
            _patch_module_moves()

    def _forbid_object(self, value: Any, api: str) -> None:
        if value is None:
            return
        if isinstance(value, types.ModuleType):
            location = getattr(value, "__file__", None)
            if location:
                is_package = os.path.basename(location).startswith("__init__.")
                prefix = os.path.dirname(location) + os.sep if is_package else location
                self._module_dirs.append((os.path.realpath(prefix) + (os.sep if is_package else ""), api))
            return
        if isinstance(value, type):
            self._forbid_codes(_codes_of_class(value), api)
            return
        self._callables[id(value)] = (value, api)
        self._forbid_codes(_codes_of_function(value), api)
        if _is_builtin(value):
            name = getattr(value, "__name__", None)
            if name:  # the operator behind a builtin: the same work through torch.ops or _VF
                self._op_patterns += (name,)

    def _forbid_codes(self, codes: list[types.CodeType], api: str) -> None:
        for code in codes:
            self._forbidden_codes.setdefault(code, api)
            self._forbidden_names.setdefault(_code_key(code), api)

    def _forbid_path(self, entry: str) -> None:
        """Files of a forbidden module not loaded yet, found without importing anything."""
        top, *rest = entry.split(".")
        try:
            spec = importlib.util.find_spec(top)
        except (ImportError, ValueError):
            return
        if spec is None or not spec.submodule_search_locations:
            return
        base = os.path.realpath(next(iter(spec.submodule_search_locations)))
        prefix = os.path.join(base, *rest)
        self._module_dirs.append((prefix + os.sep, entry))
        self._module_dirs.append((prefix + ".py", entry))

    def _api_of_code(self, code: types.CodeType) -> str | None:
        if code in self._code_api:
            return self._code_api[code]
        api = self._forbidden_codes.get(code) or self._forbidden_names.get(_code_key(code))
        if api is None:
            filename = _real(code.co_filename)
            api = next((api for prefix, api in self._module_dirs if filename.startswith(prefix)), None)
        self._code_api[code] = api
        return api

    def api_of_op(self, name: str) -> str | None:
        """The forbidden operator pattern `name` falls under (`aten::im2col` and `im2col` alike)."""
        name = name.split("::")[-1].split(".")[0]
        if name not in self._op_api:
            self._op_api[name] = next((p for p in self._op_patterns if fnmatch.fnmatchcase(name, p)), None)
        return self._op_api[name]

    def trip(self, api: str, frame) -> None:
        learner = self._learner_frame(frame)
        where = f"line {learner.f_lineno}" if learner is not None else "your code"
        self.trips.append((api, where))
        raise ForbiddenAPIError(api)

    def profile(self, frame, event: str, arg) -> None:
        """sys.setprofile hook: Python code of a forbidden API running, or a forbidden builtin called."""
        if event == "call":
            api = self._api_of_code(frame.f_code)
            if api is not None and self._learner_frame(frame.f_back) is not None:
                self.trip(api, frame.f_back)
        elif event == "c_call":
            known = self._callables.get(id(arg))
            if known is not None and known[0] is arg and self._learner_frame(frame) is not None:
                self.trip(known[1], frame)

    def check_call(self, func: Any, frame) -> None:
        """A call the function mode saw, made (directly or through library code) by the learner."""
        verdict = self._call_verdicts.get(id(func))
        if verdict is None or verdict[0] is not func:
            known = self._callables.get(id(func))
            name = _op_name(func)
            pattern = self.api_of_op(name) if name else None
            api = known[1] if known is not None and known[0] is func else _api_for_op(name, pattern) if pattern else None
            verdict = self._call_verdicts[id(func)] = (func, api)
        if verdict[1] is not None:
            self.trip(verdict[1], frame)

    # --- one case ------------------------------------------------------------------------------

    @contextmanager
    def case(self, case=None) -> Iterator[Findings]:
        """Watch one case (or, with none, the import of the submission)."""
        self._case = case
        self._found = Findings()
        previous = sys.getprofile()
        if self._function_mode is None:  # torch katas see Python code through their operators' callers
            sys.setprofile(self.profile)
        modes = (self._dispatch_mode, self._function_mode) if self._function_mode is not None else ()
        try:
            for mode in modes:
                mode.__enter__()
            try:
                yield self._found
            finally:
                self._check_intact()
                for mode in reversed(modes):
                    try:
                        mode.__exit__(None, None, None)
                    except Exception:  # noqa: BLE001 - a submission that popped the mode already said so
                        pass
        finally:
            sys.setprofile(previous)
            self._case = None

    def _check_intact(self) -> None:
        if self._function_mode is None:
            if sys.getprofile() != self.profile:
                self._found.tampered = "your code replaced the profile hook dlprep watches the run with"
            return
        from torch.overrides import _get_current_function_mode_stack
        from torch.utils._python_dispatch import _get_current_dispatch_mode_stack

        if self._function_mode not in _get_current_function_mode_stack() or self._dispatch_mode not in _get_current_dispatch_mode_stack():
            self._found.tampered = "your code removed the torch modes dlprep watches the run with"

    def returned(self, flat: dict[str, Any]) -> None:
        """Outputs left on the CPU: a CUDA input would get them back on the wrong device."""
        for name, value in flat.items():
            origin = _origin(value) if _is_tensor(value) else None
            if origin is not None:
                self._device(f"`{name}` would stay on the CPU for a CUDA input: it comes from {origin}. "
                             "Create it on the inputs' device (device=x.device), or move it with .to(x.device)")

    def findings(self) -> Findings:
        return self._found

    def _device(self, message: str) -> None:
        if message not in self._found.device:
            self._found.device.append(message)

    def _note(self, message: str) -> None:
        if message not in self._found.notes:
            self._found.notes.append(message)

    # --- device tracking, called by the function mode ------------------------------------------

    def observe(self, func: Any, args: tuple, kwargs: dict, frame) -> Any:
        """Run `func` for the learner and follow which of its tensors would sit on the CPU."""
        inputs = _tensors(args, kwargs.values())
        kind = _special(func)
        line = frame.f_lineno
        on_device = bool(inputs) and _origin(inputs[0]) is None
        if kind == "numpy" and on_device:
            self._device(f"line {line} calls .numpy() on a tensor on the inputs' device: on CUDA this raises. "
                         "Stay in torch (no NumPy round trip)")
        elif kind in _SYNC_NOTES and on_device:
            self._note(f"line {line}: {_SYNC_NOTES[kind]} copies a value from the device to the host "
                       "(a host sync an interviewer may mention); fine here")
        elif kind is None:
            self._check_mixing(func, inputs, frame)
        result = func(*args, **kwargs)
        outputs = _tensors((result,))
        if not outputs:
            return result
        origin = self._origin_of_result(func, kind, inputs, args, kwargs, frame)
        if kind in ("move", "cpu") and inputs and outputs[0] is inputs[0] and origin != _origin(inputs[0]):
            # A move that is a no-op on this device returns the tensor itself; on CUDA it is a new
            # tensor, and the original keeps its own placement.
            result = outputs[0] = result.view_as(result)
        for tensor in outputs:
            _set_origin(tensor, origin)
        self._check_span(outputs, line)
        return result

    def _check_mixing(self, func: Any, inputs: list, frame) -> None:
        cpu = next((t for t in inputs if _origin(t) is not None and t.dim() > 0), None)
        if cpu is not None and any(_origin(t) is None for t in inputs):
            code = frame.f_code
            # A function told its device (`causal_mask(n, device=None)`) creates on that device.
            named = "device" in code.co_varnames[: code.co_argcount + code.co_kwonlyargcount]
            where = "device" if named else "x.device"
            self._device(f"line {frame.f_lineno} combines the inputs with a tensor of shape {tuple(cpu.shape)} made on the CPU "
                         f"({_origin(cpu)}): for a CUDA input `{_display_name(func)}` raises there. Create it "
                         f"with device={where}, or move it with .to({where})")

    def _origin_of_result(self, func, kind, inputs, args, kwargs, frame) -> str | None:
        """Where the result's placement on the CPU comes from, or None when it sits with the inputs."""
        import torch

        line = frame.f_lineno
        if kind == "move":
            target = _move_target(args, kwargs)
            if target is None:  # .to(dtype): the device stays what it was
                return _origin(inputs[0])
            if isinstance(target, torch.Tensor):
                return _origin(target)
            return f"`.to(\"cpu\")` on line {line}" if self._hard_codes_cpu(frame) else None
        if kind == "cpu":
            return _origin(inputs[0]) or f"`.cpu()` on line {line}"
        if kind == "cross-device":  # copy_ and indexing: the result lives where the indexed tensor lives
            return _origin(inputs[0])
        if not inputs:
            if kwargs.get("device") is None:
                return f"`{_display_name(func)}` without device= on line {line}"
            return f"`{_display_name(func)}` with device=\"cpu\" on line {line}" if self._hard_codes_cpu(frame) else None
        if all(_origin(t) is not None for t in inputs):
            return _origin(inputs[0])
        return None

    def _hard_codes_cpu(self, frame) -> bool:
        return frame.f_code.co_filename == self.learner_file and bool(
            _HARD_CODED_CPU.search(linecache.getline(self.learner_file, frame.f_lineno)))

    def _check_span(self, outputs: list, line: int) -> None:
        limit = getattr(self._case, "no_tensor_spanning", None)
        if limit is None or self._found.spanning is not None:
            return
        L, S = limit
        for tensor in outputs:
            dims = list(tensor.shape)
            if L in dims and S in dims and (L != S or dims.count(L) > 1):
                self._found.spanning = (f"line {line} creates a tensor of shape {tuple(dims)}, which spans all "
                                        f"{L} queries and {S} keys at once")
                return


# --- resolving forbidden entries -----------------------------------------------------------------


def _resolve(entry: str) -> list[tuple[str, Any]]:
    """(dotted name, object) for each live object a forbidden entry names; wildcards in its last part."""
    parts = entry.split(".")
    for cut in range(len(parts), 0, -1):
        module = sys.modules.get(".".join(parts[:cut]))
        if module is None:
            continue
        owner: Any = module
        for name in parts[cut:-1]:
            owner = getattr(owner, name, None)
            if owner is None:
                return []
        if cut == len(parts):
            return [(entry, module)]
        last = parts[-1]
        prefix = ".".join(parts[:-1])
        if any(ch in last for ch in "*?["):
            return [(f"{prefix}.{name}", getattr(owner, name, None)) for name in dir(owner) if fnmatch.fnmatchcase(name, last)]
        value = getattr(owner, last, None)
        return [(entry, value)] if value is not None else []
    return []


def _is_builtin(value: Any) -> bool:
    return isinstance(value, (types.BuiltinFunctionType, types.MethodDescriptorType, types.WrapperDescriptorType))


def _codes_of_function(value: Any) -> list[types.CodeType]:
    codes = []
    seen = set()
    while value is not None and id(value) not in seen:
        seen.add(id(value))
        code = getattr(value, "__code__", None)
        if isinstance(code, types.CodeType):
            codes.extend(_nested_codes(code))
        value = getattr(value, "__wrapped__", None)
    return codes


def _codes_of_class(cls: type) -> list[types.CodeType]:
    codes = []
    for klass in cls.__mro__:
        if klass.__module__ in ("builtins", "torch.nn.modules.module") or klass.__module__.startswith("torch._C"):
            continue  # what every Module or object has is not the forbidden class's own work
        for value in vars(klass).values():
            for unwrapped in (value, getattr(value, "__func__", None), getattr(value, "fget", None)):
                if unwrapped is not None:
                    codes.extend(_codes_of_function(unwrapped))
    return codes


def _real(filename: str) -> str:
    return os.path.realpath(filename) if os.path.isabs(filename) else filename


def _code_key(code: types.CodeType) -> tuple[str, str]:
    return _real(code.co_filename), getattr(code, "co_qualname", code.co_name)


def _nested_codes(code: types.CodeType) -> list[types.CodeType]:
    found = [code]
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            found.extend(_nested_codes(const))
    return found


def _op_name(func: Any) -> str | None:
    import torch._ops

    if isinstance(func, torch._ops.OpOverload):
        return func._schema.name
    if isinstance(func, torch._ops.OpOverloadPacket):
        return func._qualified_op_name
    return getattr(func, "__name__", None)


def _api_for_op(name: str, pattern: str) -> str:
    return name if "::" in name else pattern if any(ch in pattern for ch in "*?[") else name


def _display_name(func: Any) -> str:
    name = getattr(func, "__name__", None) or _op_name(func) or repr(func)
    return name.split("::")[-1]


class _ImportBlocker:
    """Refuses forbidden modules that the learner imports; torch importing its own parts is fine."""

    def __init__(self, modules: tuple[str, ...], monitor: Monitor):
        self.modules, self.monitor = modules, monitor

    def find_spec(self, fullname, path=None, target=None):
        for module in self.modules:
            if fullname == module or fullname.startswith(module + "."):
                importer = _importer(sys._getframe(1))
                if importer is not None and importer.f_code.co_filename == self.monitor.learner_file:
                    self.monitor.trip(module, importer)
        return None


def _importer(frame):
    """The frame whose import statement (or import_module call) is being served."""
    while frame is not None and (frame.f_code.co_filename.startswith("<frozen importlib")
                                 or os.path.basename(os.path.dirname(frame.f_code.co_filename)) == "importlib"):
        frame = frame.f_back
    return frame


# --- torch ---------------------------------------------------------------------------------------

_SPECIAL: dict[int, tuple[Any, str]] = {}
"""id -> (function, kind) for the calls whose device semantics differ from an ordinary operator's."""
_FROM_DATA = frozenset({"aten::lift_fresh", "aten::lift", "aten::lift_fresh_copy"})
_SYNC_NOTES = {"item": "`.item()`", "bool": "a Python `if` on a tensor", "float": "float(tensor)",
               "int": "int(tensor)", "tolist": "`.tolist()`"}


def _build_special() -> None:
    import torch

    T = torch.Tensor
    table = {
        "move": (T.to, T.cuda), "cpu": (T.cpu,), "numpy": (T.numpy,),
        "item": (T.item,), "bool": (T.__bool__,), "float": (T.__float__,), "int": (T.__int__, T.__index__),
        "tolist": (T.tolist,),
        # Python indexing accepts CPU indices for CUDA tensors, and copy_ copies across devices.
        "cross-device": (T.copy_, T.__getitem__, T.__setitem__),
    }
    for kind, funcs in table.items():
        for func in funcs:
            _SPECIAL[id(func)] = (func, kind)


def _special(func: Any) -> str | None:
    known = _SPECIAL.get(id(func))
    return known[1] if known is not None and known[0] is func else None


def _move_target(args: tuple, kwargs: dict):
    """Where `.to(...)`/`.cuda()` sends the tensor: a tensor, a device, or None for a dtype-only move."""
    import torch

    rest = args[1:]
    if rest and isinstance(rest[0], torch.Tensor):
        return rest[0]
    if isinstance(kwargs.get("other"), torch.Tensor):
        return kwargs["other"]
    try:
        device = torch._C._nn._parse_to(*rest, **{k: v for k, v in kwargs.items() if k != "non_blocking"})[0]
    except (TypeError, RuntimeError):
        return "cuda"  # .cuda(...) and forms _parse_to does not take: a move onto the device
    return device


def _tensors(*groups) -> list:
    """The tensors among call arguments or results, in order, looking into lists and tuples (torch.cat's)."""
    from torch import Tensor

    found = []
    pending = [iter(group) for group in reversed(groups)]
    while pending:
        for value in pending[-1]:
            if isinstance(value, Tensor):
                found.append(value)
            elif isinstance(value, (list, tuple)):
                pending.append(iter(value))
                break
        else:
            pending.pop()
    return found


def _is_tensor(value: Any) -> bool:
    torch = sys.modules.get("torch")
    return torch is not None and isinstance(value, torch.Tensor)


def _origin(tensor) -> str | None:
    return getattr(tensor, _MARK, None)


def _set_origin(tensor, origin: str | None) -> None:
    try:
        if origin is not None:
            setattr(tensor, _MARK, origin)
        elif getattr(tensor, _MARK, None) is not None:
            delattr(tensor, _MARK)
    except (AttributeError, TypeError):
        pass


_module_moves_patched = False


def _patch_module_moves() -> None:
    """`module.to(device)` moves parameters and buffers: they are clean afterwards. A parameter
    starts where its data was made."""
    global _module_moves_patched
    if _module_moves_patched:
        return
    import torch

    Module = torch.nn.Module
    original_to, original_cuda = Module.to, Module.cuda

    def clean(module) -> None:
        for tensor in (*module.parameters(), *module.buffers()):
            _set_origin(tensor, None)

    def to(self, *args, **kwargs):
        result = original_to(self, *args, **kwargs)
        if torch._C._nn._parse_to(*args, **kwargs)[0] is not None:
            clean(self)
        return result

    def cuda(self, device=None):
        result = original_cuda(self, device)
        clean(self)
        return result

    Module.to, Module.cuda = to, cuda

    # nn.Parameter(data) is a new tensor made by a constructor no torch mode sees: it sits where
    # its data sits.
    Parameter = torch.nn.Parameter
    original_new = Parameter.__new__

    def new(cls, data=None, requires_grad=True):
        param = original_new(cls, data, requires_grad)
        if data is not None:
            _set_origin(param, _origin(data))
        return param

    Parameter.__new__ = new
    _module_moves_patched = True


def _torch_modes(monitor: Monitor):
    from torch.overrides import TorchFunctionMode
    from torch.utils._python_dispatch import TorchDispatchMode

    if not _SPECIAL:
        _build_special()

    class Calls(TorchFunctionMode):
        def __torch_function__(self, func, types, args=(), kwargs=None):
            kwargs = kwargs or {}
            # What runs from here on is this handler's and PyTorch's on the learner's behalf: no
            # torch function dispatch inside, by design.
            monitor._depth += 1
            try:
                caller = monitor._caller(sys._getframe(1))
                if caller is None or caller[0] is GRADER:
                    return func(*args, **kwargs)
                monitor.check_call(func, caller[1])
                return monitor.observe(func, args, kwargs, caller[1])
            finally:
                monitor._depth -= 1

    class Operators(TorchDispatchMode):
        @classmethod
        def _should_skip_dynamo(cls) -> bool:
            return False  # otherwise the first operator imports torch._dynamo: a second of start-up

        def __torch_dispatch__(self, func, types, args=(), kwargs=None):
            known = operators.get(func)
            if known is None:
                name = func._schema.name
                known = operators[func] = (name, monitor.api_of_op(name))
            name, pattern = known
            if pattern is not None or monitor._depth == 0:
                learner = monitor._learner_frame(sys._getframe(1))
                if learner is not None:
                    if pattern is not None:
                        monitor.trip(_api_for_op(name, pattern), learner)
                    import torch

                    if not torch._C._is_torch_function_mode_enabled():
                        monitor._found.tampered = (f"line {learner.f_lineno} switched off PyTorch's function "
                                                   "dispatch, which dlprep watches the run with")
            result = func(*args, **(kwargs or {}))
            if name in _FROM_DATA:
                # torch.from_numpy and the legacy constructors (torch.Tensor([...])) reach no Python
                # function: their tensor shows only here, on its way out, always on the CPU.
                caller = monitor._caller(sys._getframe(1))
                if caller is not None and caller[0] is LEARNER:
                    _set_origin(result, f"a tensor built from data (torch.from_numpy, torch.Tensor) on line {caller[1].f_lineno}")
            return result

    operators: dict[Any, tuple[str, str | None]] = {}
    return Calls(), Operators()
