"""``LinearRegression().fit`` on a training fold, bit for bit, without copying the fold.

scipy's ``lstsq`` hands LAPACK's gelsd a copy of the matrix whatever ``overwrite_a`` says
(scipy 1.17 passes ``False`` for gelsd), and ``LinearRegression`` centres its own copy
before that. On the penalties lab's 1e6-row CSV that second copy of a training fold was
the lab's peak, 3.0x the data. Here the fold is gathered once, in the Fortran order LAPACK
works in (``training_rows``), centred in place and solved in place: the same values in the
same layout reach the same LAPACK call, so the coefficients are ``LinearRegression``'s.
tests/unit/test_least_squares.py holds both to scikit-learn's and scipy's exactly.
"""

from __future__ import annotations

import numpy as np
from scipy.linalg import LinAlgError
from scipy.linalg.lapack import _compute_lwork, get_lapack_funcs
from sklearn.linear_model import LinearRegression

from reglab.core.fold_rows import training_rows


def lstsq_in_place(a: np.ndarray, b: np.ndarray, cond: float) -> tuple[np.ndarray, int, np.ndarray]:
    """``scipy.linalg.lstsq(a, b, cond)``'s solution, rank and singular values, for a
    Fortran-ordered float64 ``a`` with at least as many rows as columns, which it
    overwrites. The work sizes are the ones ``lstsq`` asks for, so LAPACK blocks alike."""
    if not (a.flags.f_contiguous and a.dtype == np.float64 and a.shape[0] >= a.shape[1]):
        raise ValueError("lstsq_in_place needs a tall Fortran-ordered float64 matrix")
    gelsd, gelsd_lwork = get_lapack_funcs(("gelsd", "gelsd_lwork"), (a, b))
    rows, columns = a.shape
    lwork, iwork = _compute_lwork(gelsd_lwork, rows, columns, 1, cond)
    solution, singular, rank, info = gelsd(a, b, lwork, iwork, cond, True, False)
    if info > 0:
        raise LinAlgError("SVD did not converge in Linear Least Squares")
    if info < 0:
        raise ValueError(f"illegal value in {-info}-th argument of internal gelsd")
    return solution[:columns].ravel(), int(rank), singular


def fit_linear_regression(X: np.ndarray, y: np.ndarray, rows: np.ndarray) -> LinearRegression:
    """``LinearRegression().fit(X[rows], y[rows])``, holding one copy of the rows.

    What ``fit`` does, step for step (scikit-learn 1.9, dense ``X``, no weights): centre
    ``X`` and ``y`` on their means, solve with gelsd at ``cond=tol``, then the intercept
    from the means."""
    model = LinearRegression()
    X_train, X_offset = training_rows(X, rows)  # the C-ordered mean's bits, F-ordered rows
    X_train -= X_offset
    y_train = y[rows].astype(np.float64, copy=False)  # y[rows] is a copy already
    y_offset = np.asarray(np.average(y_train, axis=0))
    y_train -= y_offset
    coef, model.rank_, model.singular_ = lstsq_in_place(X_train, y_train, model.tol)
    model.coef_ = coef
    model.intercept_ = y_offset - X_offset @ coef
    model.n_features_in_ = X.shape[1]
    return model
