"""IRLS-CD logistic regression against scikit-learn's solvers run to tight tolerances."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.datasets import load_breast_cancer, load_iris, make_classification
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import log_loss
from sklearn.preprocessing import StandardScaler

from reglab.core.logistic import IrlsLogisticRegression, objective


def scaled(X: np.ndarray) -> np.ndarray:
    return StandardScaler().fit_transform(X)


@pytest.fixture(scope="module")
def cancer():
    X, y = load_breast_cancer(return_X_y=True)
    return scaled(X), y


@pytest.fixture(scope="module")
def iris():
    X, y = load_iris(return_X_y=True)
    return scaled(X), y


def value(model, X, y) -> float:
    """scikit-learn's objective / C for a fitted model of either kind."""
    classes = np.unique(y)
    targets = (y[:, None] == classes).astype(float)
    targets = targets[:, 1:] if len(classes) == 2 else targets
    return objective(X, targets, model.coef_.T, model.intercept_, model.C, model.l1_ratio)


@pytest.mark.parametrize("l1_ratio", [1.0, 0.5])
def test_objective_is_log_loss_plus_the_penalty(iris, cancer, l1_ratio):
    for X, y in (iris, cancer):
        model = IrlsLogisticRegression(C=0.3, l1_ratio=l1_ratio).fit(X, y)
        W = model.coef_
        penalty = l1_ratio * np.abs(W).sum() + (1 - l1_ratio) / 2 * np.square(W).sum()
        expected = len(y) * log_loss(y, model.predict_proba(X)) + penalty / 0.3
        assert value(model, X, y) == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize("C", [0.1, 1.0, 10.0])
def test_binary_l1_reaches_liblinears_tight_optimum(cancer, C):
    X, y = cancer
    ours = IrlsLogisticRegression(C=C).fit(X, y)
    # liblinear penalizes the intercept: a huge intercept_scaling makes that negligible.
    tight = LogisticRegression(
        C=C,
        l1_ratio=1.0,
        solver="liblinear",
        intercept_scaling=1e3,
        tol=1e-10,
        max_iter=10**5,
        random_state=0,
    ).fit(X, y)
    assert value(ours, X, y) <= value(tight, X, y) * (1 + 1e-12)
    assert value(ours, X, y) == pytest.approx(value(tight, X, y), rel=1e-6)
    np.testing.assert_array_equal(ours.predict(X), tight.predict(X))


def saga(X, y, C: float, l1_ratio: float) -> LogisticRegression:
    return LogisticRegression(
        C=C, l1_ratio=l1_ratio, solver="saga", tol=1e-12, max_iter=10**5, random_state=0
    ).fit(X, y)


@pytest.mark.parametrize("l1_ratio", [1.0, 0.5])
def test_binary_elastic_net_equals_tightly_converged_saga(l1_ratio):
    X, y = make_classification(200, 6, n_informative=3, random_state=0)
    X = scaled(X)
    ours = IrlsLogisticRegression(C=0.5, l1_ratio=l1_ratio).fit(X, y)
    reference = saga(X, y, 0.5, l1_ratio)
    np.testing.assert_allclose(ours.coef_, reference.coef_, atol=1e-6)
    np.testing.assert_allclose(ours.intercept_, reference.intercept_, atol=1e-6)
    assert value(ours, X, y) <= value(reference, X, y) * (1 + 1e-12)


@pytest.mark.parametrize(("C", "l1_ratio"), [(0.1, 1.0), (1.0, 1.0), (1.0, 0.5)])
def test_multinomial_equals_tightly_converged_saga(iris, C, l1_ratio):
    X, y = iris
    ours = IrlsLogisticRegression(C=C, l1_ratio=l1_ratio).fit(X, y)
    reference = saga(X, y, C, l1_ratio)
    assert ours.coef_.shape == (3, 4) and ours.intercept_.shape == (3,)
    assert value(ours, X, y) == pytest.approx(value(reference, X, y), rel=1e-8)
    # The softmax leaves the intercepts' common shift to the data: compare probabilities.
    np.testing.assert_allclose(ours.predict_proba(X), reference.predict_proba(X), atol=1e-4)


def test_warm_start_finds_the_same_optimum(cancer):
    X, y = cancer
    cold = IrlsLogisticRegression(C=10.0).fit(X, y)
    warm = IrlsLogisticRegression(C=1.0, warm_start=True).fit(X, y)
    steps_from_zero = cold.n_iter_[0]
    warm.set_params(C=10.0).fit(X, y)
    assert value(warm, X, y) == pytest.approx(value(cold, X, y), rel=1e-9)
    assert warm.n_iter_[0] < steps_from_zero


def test_running_out_of_steps_warns(cancer):
    X, y = cancer
    with pytest.warns(ConvergenceWarning, match="max_iter=2"):
        IrlsLogisticRegression(C=100.0, max_iter=2).fit(X, y)


def test_labels_and_probabilities_follow_the_classes(iris):
    X, y = iris
    labels = np.array(["setosa", "versicolor", "virginica"])[y]
    model = IrlsLogisticRegression(C=1.0).fit(X, labels)
    assert list(model.classes_) == ["setosa", "versicolor", "virginica"]
    assert np.mean(model.predict(X) == labels) > 0.9
    np.testing.assert_allclose(model.predict_proba(X).sum(axis=1), 1.0)


def test_a_single_class_is_refused():
    with pytest.raises(ValueError, match="two or more classes"):
        IrlsLogisticRegression().fit(np.eye(4), np.zeros(4))
