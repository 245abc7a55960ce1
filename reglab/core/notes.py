"""Turn scikit-learn's convergence warnings into notes shown beside the result.

SPEC: no ConvergenceWarning reaches the user unannounced; it becomes a visible note.
``warnings.catch_warnings`` is process-global, so the CLI and the app also ignore
ConvergenceWarning globally: a warning raised in another thread while one lab records is
dropped instead of printed over the terminal UI.
"""

from __future__ import annotations

import warnings
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
