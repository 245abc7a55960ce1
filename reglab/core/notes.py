"""Warnings become notes shown beside the result, per thread.

SPEC: no ConvergenceWarning reaches the user unannounced; it becomes a visible note. The
same holds for every other warning of a run (numpy, scipy, scikit-learn, torch): counted,
one note per kind, never printed raw.

``warnings.catch_warnings`` swaps process-global state, so in the app, where several labs
compute in threads at once, one lab would record (or lose) another's warnings. Instead one
``showwarning`` for the process hands each warning to the innermost ``collected`` block of
the thread that raised it, and passes it to the previous handler (print, or pytest's
recorder) when that thread collects nothing. ``collected`` puts it in place on entry, so
core functions called directly (tests, scripts) collect their notes too.
"""

from __future__ import annotations

import inspect
import re
import threading
import warnings
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import lru_cache, update_wrapper
from typing import Any, Generic, TypeVar

T = TypeVar("T")

Caught = list[tuple[type[Warning], str]]

_local = threading.local()
_previous_handler = warnings.showwarning


def _show(message: Any, category: type[Warning], *args: Any, **kwargs: Any) -> None:
    stack: list[Caught] = getattr(_local, "stack", [])
    if stack:
        stack[-1].append((category, str(message).strip()))
    else:
        _previous_handler(message, category, *args, **kwargs)


def _route_warnings() -> None:
    """Send every warning to ``_show``, repeats included (the default filter shows each
    only once per place, so a later run would miss its notes). Process-wide."""
    global _previous_handler
    if warnings.showwarning is not _show:
        _previous_handler = warnings.showwarning
        warnings.showwarning = _show
    warnings.simplefilter("always")


@contextmanager
def collected() -> Iterator[Caught]:
    """The warnings this thread raises inside the block."""
    _route_warnings()
    stack: list[Caught] = _local.__dict__.setdefault("stack", [])
    caught: Caught = []
    stack.append(caught)
    try:
        yield caught
    finally:
        stack.pop()


def _pass_on(caught: Caught) -> None:
    """Hand warnings to the enclosing ``collected`` block, or print them."""
    for category, text in caught:
        _show(text, category, "", 0)


@contextmanager
def convergence_notes(notes: list[str], what: str) -> Iterator[None]:
    """Record whether ``what`` failed to converge inside the block, as a note; any other
    warning goes on to the enclosing block."""
    from sklearn.exceptions import ConvergenceWarning

    with collected() as caught:
        yield
    count = sum(issubclass(category, ConvergenceWarning) for category, _ in caught)
    if count:
        notes.append(f"{what} did not converge ({count}x); raise max_iter or the penalty")
    _pass_on([(c, text) for c, text in caught if not issubclass(c, ConvergenceWarning)])


@contextmanager
def dropped(category: type[Warning]) -> Iterator[None]:
    """Drop the ``category`` warnings this thread raises inside the block and pass on the
    rest. Not ``warnings.catch_warnings``: it swaps process-wide filters, so on a sweep's
    threads one block's exit would restore another's filters mid-fit."""
    with collected() as caught:
        yield
    _pass_on([(c, text) for c, text in caught if not issubclass(c, category)])


@contextmanager
def warnings_as_notes(notes: list[str]) -> Iterator[None]:
    """Every warning raised inside the block becomes one note per kind, counted."""
    with collected() as caught:
        yield
    kinds: Counter[tuple[str, str]] = Counter()
    first: dict[tuple[str, str], str] = {}
    for category, text in caught:
        # The same warning with other numbers in it (an rcond, a fold) is one kind.
        kind = (category.__name__, re.sub(r"[-+]?\d[\d.e+-]*", "#", text))
        kinds[kind] += 1
        first.setdefault(kind, text)
    for kind, count in kinds.items():
        times = f" ({count}x)" if count > 1 else ""
        notes.append(f"{kind[0]}{times}: {first[kind]}")


class _CachedWithWarnings(Generic[T]):
    """``function`` behind an ``lru_cache`` that keeps the warnings it raised with its value
    and raises them again at every hit."""

    def __init__(self, function: Callable[..., T], maxsize: int) -> None:
        update_wrapper(self, function)
        self._signature = inspect.signature(function)

        def compute(*args: Any, **kwargs: Any) -> tuple[T, Caught]:
            with collected() as caught:
                value = function(*args, **kwargs)
            return value, list(caught)

        self._compute = lru_cache(maxsize=maxsize)(compute)

    def __call__(self, *args: Any, **kwargs: Any) -> T:
        # One key per call, however it is spelled: f(x) and f(x, scoring="accuracy") hit the
        # same entry when "accuracy" is the default.
        call = self._signature.bind(*args, **kwargs)
        call.apply_defaults()
        value, caught = self._compute(*call.args, **call.kwargs)
        for category, text in caught:
            warnings.warn(text, category, stacklevel=2)
        return value

    def cache_clear(self) -> None:
        self._compute.cache_clear()

    def cache_info(self) -> Any:
        return self._compute.cache_info()


def cache_with_warnings(maxsize: int) -> Callable[[Callable[..., T]], _CachedWithWarnings[T]]:
    """``functools.lru_cache`` for a computation whose warnings belong to its result: they
    are recorded when it runs and raised again at every cache hit, so a cached run has the
    same notes as a fresh one (same parameters, same notes, same snapshot)."""
    return lambda function: _CachedWithWarnings(function, maxsize)
