"""Rendering référent-written Jinja templates (prompts and output templates) with limits.

The sandbox already forbids reaching Python internals; it does not bound the work. A template
is written by a référent, so `{% for i in range(99999) %}{% for j in range(99999) %}…`,
`{{ 9 ** 9 ** 9 }}`, `{{ "x" * 10 ** 9 }}` or `{{ "x" | center(10 ** 9) }}` could hold a CPU
or all the memory. Here:
- `range` is capped (`MAX_RANGE` items) and checks the deadline at every step, as do every
  call, filter and attribute access, and every chunk of output;
- `**` with a big exponent, and `*` building a long string or list, are refused before they run;
- integer arguments of filters and functions are capped (widths, counts);
- the output is capped (`MAX_OUTPUT` characters);
- callers run rendering off the event loop (`render_async`).
Any limit reached raises `TemplateLimitError` with a French message for the agent.
"""

from __future__ import annotations

import asyncio
import contextvars
import operator
import re
import time
from collections.abc import Callable, Iterator
from typing import Any

from jinja2.sandbox import SandboxedEnvironment
from jinja2.utils import Namespace

from civia.dates import date_fr
from civia.providers.base import ProviderError

MAX_SECONDS = 2.0
MAX_OUTPUT = 200_000  # characters
MAX_RANGE = 10_000
MAX_INT_ARG = 10_000  # widths, counts… passed to a filter or a function
MAX_SEQUENCE = 100_000  # items or characters built by `*`
MAX_EXPONENT = 64
MAX_POWER_BITS = 4096

_deadline: contextvars.ContextVar[float] = contextvars.ContextVar("template_deadline", default=0.0)


class TemplateLimitError(ProviderError):
    message_fr = (
        "Le gabarit de cet assistant demande trop de calcul ou produit un texte trop long : "
        "prévenez le référent qui l'a écrit."
    )

    def __init__(self, detail: str) -> None:
        super().__init__(f"template limit: {detail}")


def _tick() -> None:
    deadline = _deadline.get()
    if deadline and time.monotonic() > deadline:
        raise TemplateLimitError("time")


def _check_args(args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    for value in (*args, *kwargs.values()):
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_INT_ARG:
            raise TemplateLimitError(f"integer argument {value}")


def _limited_range(*args: int) -> Iterator[int]:
    _check_args(args, {})
    values = range(*args)
    if len(values) > MAX_RANGE:
        raise TemplateLimitError(f"range of {len(values)}")
    for value in values:
        _tick()
        yield value


def _guarded(func: Callable[..., Any]) -> Callable[..., Any]:
    def call(*args: Any, **kwargs: Any) -> Any:
        _tick()
        _check_args(args[1:], kwargs)  # the first argument is the filtered value
        return func(*args, **kwargs)

    # Keeps jinja's pass_context / pass_environment marks (`jinja_pass_arg`).
    call.__dict__.update(getattr(func, "__dict__", {}))
    return call


class _LimitedNamespace(Namespace):
    """`{% set ns.s = ns.s ~ ns.s %}` in a loop doubles a string at each step: the value stored
    in a namespace is bounded like the output, so the doubling stops before it eats the memory."""

    def __setitem__(self, name: str, value: Any) -> None:
        _tick()
        if isinstance(value, str | list | tuple) and len(value) > MAX_OUTPUT:
            raise TemplateLimitError("namespace value too long")
        super().__setitem__(name, value)


class LimitedSandbox(SandboxedEnvironment):
    intercepted_binops = frozenset({"*", "**"})

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.filters = {name: _guarded(f) for name, f in self.filters.items()}
        self.filters["date_fr"] = _guarded(date_fr)  # « 4 décembre 2026 » from a date field
        self.globals["range"] = _limited_range
        self.globals["namespace"] = _LimitedNamespace
        self.globals.pop("lipsum", None)

    def call_binop(self, context: Any, op: str, left: Any, right: Any) -> Any:
        _tick()
        if op == "**":
            if isinstance(right, int | float) and abs(right) > MAX_EXPONENT:
                raise TemplateLimitError(f"exponent {right}")
            ints = isinstance(left, int) and isinstance(right, int) and right > 0
            if ints and left.bit_length() * right > MAX_POWER_BITS:  # (2 ** 64) ** 64 ** …
                raise TemplateLimitError("power too large")
            return operator.pow(left, right)
        if op == "*":
            for seq, count in ((left, right), (right, left)):
                sized = isinstance(seq, str | list | tuple) and isinstance(count, int)
                if sized and len(seq) * count > MAX_SEQUENCE:
                    raise TemplateLimitError("sequence too long")
            return operator.mul(left, right)
        return super().call_binop(context, op, left, right)

    def call(self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        _tick()
        _check_args(args, kwargs)
        return super().call(__context, __obj, *args, **kwargs)

    def getattr(self, obj: Any, attribute: str) -> Any:
        _tick()
        return super().getattr(obj, attribute)

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        wrapped = super().wrap_str_format(value)
        if wrapped is None:
            return None
        if _WIDE_SPEC.search(str(value.__self__)):  # "{:>999999999}": refused before it runs
            raise TemplateLimitError("format width")
        return wrapped


_WIDE_SPEC = re.compile(r"\{[^{}]*:[^{}]*\d{6,}")


def render(env: SandboxedEnvironment, source: str, /, **variables: Any) -> str:
    """Render within the limits (time from now, output size)."""
    token = _deadline.set(time.monotonic() + MAX_SECONDS)
    try:
        size, parts = 0, []
        for chunk in env.from_string(source).generate(**variables):
            _tick()
            size += len(chunk)
            if size > MAX_OUTPUT:
                raise TemplateLimitError("output too long")
            parts.append(chunk)
        return "".join(parts)
    except RecursionError:
        raise TemplateLimitError("recursion") from None
    except MemoryError:
        raise TemplateLimitError("memory") from None
    finally:
        _deadline.reset(token)


async def render_async(env: SandboxedEnvironment, source: str, /, **variables: Any) -> str:
    """`render` in a worker thread: a slow template never blocks the event loop."""
    return await asyncio.to_thread(render, env, source, **variables)
