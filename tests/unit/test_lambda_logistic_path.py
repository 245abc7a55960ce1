"""The lambda lab's fast paths against the straightforward scikit-learn calls: the Newton path
for two-class L2 logistic regression against ``LogisticRegression`` run to convergence
(tolerance 1e-6), and the lasso / elastic-net path against ``enet_path`` (bit for bit)."""

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import load_breast_cancer, make_regression
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression, enet_path
from sklearn.model_selection import GridSearchCV, StratifiedKFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from reglab.core.errors import Cancelled
from reglab.core.lambda_finder import logistic_path
from reglab.core.lambda_finder.compute import _Problem, centred_path, run
from reglab.core.lambda_finder.logistic_path import l2_logistic_path
from reglab.core.lambda_finder.params import LambdaParams
from reglab.core.spec import with_values

TOLERANCE = 1e-6
# LogisticRegression solved to its optimum: lbfgs's default tol leaves large C unconverged.
CONVERGED = {"solver": "newton-cholesky", "tol": 1e-14, "max_iter": 1000}
DEFAULT_CS = 1 / np.logspace(4, -4, 50)  # the lab's logistic grid, as C (ascending)


@pytest.fixture(scope="module")
def folds():
    """The lab's folds of breast_cancer (StratifiedKFold(5)), scaled on the training rows."""
    X, y = load_breast_cancer(return_X_y=True)
    prepared = []
    for train, test in StratifiedKFold(5).split(X, y):
        scaler = StandardScaler().fit(X[train])
        prepared.append((scaler.transform(X[train]), y[train], scaler.transform(X[test]), y[test]))
    return prepared


@pytest.fixture(scope="module")
def reference(folds):
    """LogisticRegression at every C of the default grid on every fold: the coefficients
    with the intercept last (folds x Cs x 31) and the held-out accuracies (folds x Cs)."""
    coefs = np.empty((len(folds), len(DEFAULT_CS), folds[0][0].shape[1] + 1))
    accuracy = np.empty((len(folds), len(DEFAULT_CS)))
    for i, (X_train, y_train, X_test, y_test) in enumerate(folds):
        for j, C in enumerate(DEFAULT_CS):
            model = LogisticRegression(C=C, **CONVERGED).fit(X_train, y_train)
            coefs[i, j] = [*model.coef_[0], model.intercept_[0]]
            accuracy[i, j] = model.score(X_test, y_test)
    return coefs, accuracy


def test_newton_path_coefficients_match_logistic_regression(folds, reference):
    coefs, _ = reference
    for i, (X_train, y_train, _, _) in enumerate(folds):
        path = l2_logistic_path(X_train, y_train == 1, DEFAULT_CS)
        np.testing.assert_allclose(path, coefs[i], rtol=0, atol=TOLERANCE)


def test_lab_cv_scores_match_logistic_regression_on_the_default_grid(reference):
    _, accuracy = reference
    result = run(LambdaParams(model="logistic"))
    np.testing.assert_allclose(result.fold_scores, accuracy, rtol=0, atol=TOLERANCE)
    np.testing.assert_allclose(result.cv_mean, accuracy.mean(axis=0), rtol=0, atol=TOLERANCE)
    assert result.notes == ()


def test_lab_keeps_grid_search_alpha_min_with_any_class_labels(tmp_path):
    """Labels that are not 0/1 (and swapped: benign 3, malignant 7): the second class
    (sorted) is the positive one, as in scikit-learn. Long jumps in C (a decade a step) walk
    to the same optima."""
    X, y = load_breast_cancer(return_X_y=True)
    frame = pd.DataFrame(X, columns=[f"x{i}" for i in range(X.shape[1])])
    frame["diagnosis"] = np.where(y == 1, 3, 7)
    frame.to_csv(tmp_path / "cancer.csv", index=False)
    alphas = [100, 10, 1, 0.1]
    settings = {"model": "logistic", "dataset": "csv", "target": "diagnosis"}
    settings |= {"data": str(tmp_path / "cancer.csv"), "alphas": "100,10,1,0.1"}
    result = run(with_values(LambdaParams(), settings))
    search = GridSearchCV(
        make_pipeline(StandardScaler(), LogisticRegression(**CONVERGED)),
        {"logisticregression__C": [1 / a for a in alphas]},
        cv=StratifiedKFold(5),
        scoring="accuracy",
    ).fit(X, frame["diagnosis"])
    assert result.alpha_min == 1 / search.best_params_["logisticregression__C"]
    np.testing.assert_allclose(
        result.cv_mean, search.cv_results_["mean_test_score"], rtol=0, atol=TOLERANCE
    )


def test_newton_path_stops_when_cancelled(folds):
    X_train, y_train, _, _ = folds[0]
    with pytest.raises(Cancelled):
        l2_logistic_path(X_train, y_train == 1, DEFAULT_CS, cancelled=lambda: True)


def test_an_unconverged_newton_fit_warns(folds, monkeypatch):
    monkeypatch.setattr(logistic_path, "MAX_STEPS", 1)
    X_train, y_train, _, _ = folds[0]
    with pytest.warns(ConvergenceWarning, match="not converged"):
        l2_logistic_path(X_train, y_train == 1, DEFAULT_CS[-3:])


@pytest.mark.parametrize(("rows", "features"), [(100, 20), (30, 60)])  # Gram / no Gram
@pytest.mark.parametrize("l1_ratio", [1.0, 0.3])
def test_centred_path_is_enet_path_bit_for_bit(rows, features, l1_ratio):
    X, y = make_regression(n_samples=rows, n_features=features, noise=5, random_state=0)
    alphas = np.logspace(1, -3, 30)
    coefs, x_offset, y_offset = centred_path(_Problem(alphas, "lasso", l1_ratio, False), X, y)
    expected = enet_path(
        X - X.mean(axis=0), y - y.mean(), l1_ratio=l1_ratio, alphas=alphas, precompute="auto"
    )[1]
    np.testing.assert_array_equal(coefs, expected)
    assert np.array_equal(x_offset, X.mean(axis=0)) and y_offset == y.mean()
