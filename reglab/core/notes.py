"""Turn scikit-learn's convergence warnings into notes shown beside the result.

SPEC: no ConvergenceWarning reaches the user unannounced; it becomes a visible note.
``warnings.catch_warnings`` is process-global, so the CLI and the app also ignore
ConvergenceWarning globally: a warning raised in another thread while one lab records is
dropped instead of printed over the terminal UI.
"""

from __future__ import annotations

import re
import warnings
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def convergence_notes(notes: list[str], what: str) -> Iterator[None]:
    """Record whether ``what`` failed to converge inside the block, as a note."""
    from sklearn.exceptions import ConvergenceWarning

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ConvergenceWarning)
        yield
    count = sum(issubclass(w.category, ConvergenceWarning) for w in caught)
    if count:
        notes.append(f"{what} did not converge ({count}x); raise max_iter or the penalty")
    for warning in caught:
        if not issubclass(warning.category, ConvergenceWarning):
            warnings.warn_explicit(
                warning.message, warning.category, warning.filename, warning.lineno
            )


def silence_convergence_warnings() -> None:
    """Process-wide: convergence is reported as notes, never printed."""
    from sklearn.exceptions import ConvergenceWarning

    warnings.simplefilter("ignore", ConvergenceWarning)


@contextmanager
def warnings_as_notes(notes: list[str]) -> Iterator[None]:
    """Every other warning raised inside the block (numpy, scipy, scikit-learn, torch)
    becomes one note per kind, counted, instead of lines printed on stderr. Process-global
    like ``catch_warnings`` itself: for the single-threaded CLI."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        yield
    kinds: Counter[tuple[str, str]] = Counter()
    first: dict[tuple[str, str], str] = {}
    for warning in caught:
        text = str(warning.message).strip()
        # The same warning with other numbers in it (an rcond, a fold) is one kind.
        kind = (warning.category.__name__, re.sub(r"[-+]?\d[\d.e+-]*", "#", text))
        kinds[kind] += 1
        first.setdefault(kind, text)
    for kind, count in kinds.items():
        times = f" ({count}x)" if count > 1 else ""
        notes.append(f"{kind[0]}{times}: {first[kind]}")
