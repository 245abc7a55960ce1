"""The overfitting and classification labs' learning curves against direct
``sklearn.model_selection.learning_curve`` calls on estimators built here, to 1e-9.

Both labs call learning_curve one training-set size at a time on their folds with the rows
already in learning_curve's ``shuffle=True, random_state=seed`` order; these tests make the
one whole call a user would make and compare sizes, means and standard deviations.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.linalg import LinAlgWarning
from sklearn.datasets import load_breast_cancer, load_iris
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LinearRegression, LogisticRegression, Ridge
from sklearn.model_selection import KFold, StratifiedKFold, learning_curve
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import PolynomialFeatures, StandardScaler

from reglab.core.blas import single_blas_thread
from reglab.core.classification import compute as classification
from reglab.core.classification.params import ClassificationParams
from reglab.core.errors import Cancelled
from reglab.core.logistic import IrlsLogisticRegression
from reglab.core.overfitting import compute as overfitting
from reglab.core.overfitting.params import OverfittingParams

TOLERANCE = 1e-9
KEYS = {"train_sizes", "train_mean", "train_std", "test_mean", "test_std", "scoring"}


def summary(sizes, train, test, sign: float = 1.0) -> dict:
    """learning_curve's output as the labs report it (LearningCurveDisplay's mean and std)."""
    return {
        "train_sizes": sizes.tolist(),
        "train_mean": sign * train.mean(axis=1),
        "train_std": train.std(axis=1),
        "test_mean": sign * test.mean(axis=1),
        "test_std": test.std(axis=1),
    }


def assert_same_curve(lab: dict, direct: dict) -> None:
    assert set(lab) == KEYS
    assert lab["train_sizes"] == direct["train_sizes"]
    for key in ("train_mean", "train_std", "test_mean", "test_std"):
        assert len(lab[key]) == len(direct[key])
        np.testing.assert_allclose(lab[key], direct[key], rtol=0, atol=TOLERANCE, err_msg=key)


# --- classification ---------------------------------------------------------------------


def direct_classification(model, X, y, folds: int = 5, seed: int = 42) -> dict:
    with single_blas_thread():  # as run() fits: lbfgs is not bitwise the same with two
        sizes, train, test = learning_curve(
            model,
            X,
            y,
            cv=StratifiedKFold(folds),
            train_sizes=np.linspace(0.1, 1.0, 5),
            scoring="accuracy",
            shuffle=True,
            random_state=seed,
        )
    return summary(sizes, train, test)


@pytest.fixture(scope="module")
def breast_cancer():
    return load_breast_cancer(return_X_y=True)


def test_classification_default_is_learning_curve(breast_cancer):
    result = classification.run(ClassificationParams())
    model = make_pipeline(StandardScaler(), LogisticRegression(C=1.0, max_iter=1000))
    direct = direct_classification(model, *breast_cancer)
    assert result.learning_curve["scoring"] == "accuracy"
    assert result.learning_curve["train_sizes"] == [45, 147, 250, 352, 455]
    assert_same_curve(result.learning_curve, direct)
    # The largest size is every training row of the first fold: its CV accuracy is the
    # headline's up to the one row the folds differ by.
    assert result.learning_curve["test_mean"][-1] == pytest.approx(
        result.cv_accuracy_mean, abs=0.005
    )


def test_classification_l1_is_learning_curve_of_irls_cd(breast_cancer):
    result = classification.run(ClassificationParams(penalty="l1", C=0.1))
    model = make_pipeline(
        StandardScaler(), IrlsLogisticRegression(C=0.1, l1_ratio=1.0, max_iter=1000)
    )
    direct = direct_classification(model, *breast_cancer)
    assert_same_curve(result.learning_curve, direct)
    # A strong L1 penalty costs accuracy on few rows, where L2 at C=1 does well.
    default = classification.run(ClassificationParams()).learning_curve
    assert result.learning_curve["test_mean"][0] < default["test_mean"][0] - 0.05


def test_classification_saga_is_learning_curve_of_the_reference(breast_cancer, monkeypatch):
    monkeypatch.setattr(classification, "C_GRID", (0.1,))  # saga along the whole C curve: slow
    result = classification.run(ClassificationParams(penalty="l1", C=0.1, solver="saga"))
    model = make_pipeline(
        StandardScaler(),
        LogisticRegression(C=0.1, l1_ratio=1.0, solver="saga", max_iter=1000, random_state=42),
    )
    with pytest.warns(ConvergenceWarning) as caught:
        direct = direct_classification(model, *breast_cancer)
    assert_same_curve(result.learning_curve, direct)
    # saga on the small subsets runs out of epochs: as many notes as direct warnings.
    failed = sum(issubclass(w.category, ConvergenceWarning) for w in caught)
    assert 0 < failed < 25
    assert f"learning curve: {failed} of 25 fits did not converge" in " ".join(result.notes)


def test_classification_iris_subsets_are_shuffled():
    # iris is sorted by class: the first 12 rows of a fold are one class, which no logistic
    # regression can fit. learning_curve's shuffle draws every size at random instead.
    result = classification.run(ClassificationParams(dataset="iris", folds=3, seed=7))
    model = make_pipeline(StandardScaler(), LogisticRegression(C=1.0, max_iter=1000))
    direct = direct_classification(model, *load_iris(return_X_y=True), folds=3, seed=7)
    assert_same_curve(result.learning_curve, direct)
    assert all(np.isfinite(result.learning_curve["test_mean"]))


def test_classification_learning_curve_is_cached_per_C():
    classification.clear_caches()
    classification.run(ClassificationParams(C=0.1))
    classification.run(ClassificationParams(C=1.0))
    misses = classification.learning_point.cache_info().misses
    again = classification.run(ClassificationParams(C=0.1))
    assert classification.learning_point.cache_info().misses == misses
    assert again.learning_curve == classification.run(ClassificationParams(C=0.1)).learning_curve


def test_classification_learning_curve_notes_its_unconverged_fits():
    result = classification.run(ClassificationParams(penalty="none", max_iter=10))
    assert "learning curve: 25 of 25 fits did not converge; raise max_iter or the penalty" in (
        result.notes
    )
    assert not any(
        "learning curve" in note for note in classification.run(ClassificationParams()).notes
    )


def test_classification_stops_between_learning_curve_sizes():
    classification.clear_caches()
    seen: list[str] = []

    def cancelled() -> bool:
        return any(message.startswith("learning curve") for message in seen)

    with pytest.raises(Cancelled):
        classification.run(
            ClassificationParams(),
            progress=lambda update: seen.append(update.message),
            cancelled=cancelled,
        )
    # The first size was under way when the job was told to stop; no other began.
    assert classification.learning_point.cache_info().currsize == 1
    assert not any("accuracy vs C" in message for message in seen)


# --- overfitting ------------------------------------------------------------------------


def reference_points(n_samples: int = 15, seed: int = 42):
    x = np.linspace(0, 1, n_samples)
    y = 2 * x + 1 + 0.3 * np.random.RandomState(seed).randn(n_samples)
    return x[:, None], y


def direct_overfitting(regressor, degree: int, sizes, n_samples: int = 15, seed: int = 42):
    model = make_pipeline(PolynomialFeatures(degree), StandardScaler(), regressor)
    sizes, train, test = learning_curve(
        model,
        *reference_points(n_samples, seed),
        cv=KFold(5, shuffle=True, random_state=seed),
        train_sizes=sizes,
        scoring="neg_mean_squared_error",
        shuffle=True,
        random_state=seed,
    )
    return summary(sizes, train, test, sign=-1.0)  # reported as MSE


def test_overfitting_default_is_learning_curve():
    result = overfitting.run(OverfittingParams())
    curve = result.learning_curve
    # From two points (the fewest a fit needs) to a fold's 12 training points.
    assert curve["train_sizes"] == [2, 3, 4, 5, 6, 8, 9, 10, 11, 12]
    assert curve["scoring"] == "mean_squared_error"
    assert_same_curve(curve, direct_overfitting(LinearRegression(), 14, curve["train_sizes"]))


def test_overfitting_ridge_is_learning_curve_and_lowers_the_cv_error():
    ridge = overfitting.run(OverfittingParams(alpha=1.0)).learning_curve
    assert_same_curve(ridge, direct_overfitting(Ridge(alpha=1.0), 14, ridge["train_sizes"]))
    plain = overfitting.run(OverfittingParams()).learning_curve
    # Degree 14 on 12 points: plain least squares chases the noise, ridge does not.
    assert ridge["test_mean"][-1] < plain["test_mean"][-1] / 10
    assert ridge["train_mean"][-1] > plain["train_mean"][-1]


@pytest.mark.parametrize("n_samples", [5, 40])
def test_overfitting_every_size_is_fittable(n_samples):
    curve = overfitting.run(OverfittingParams(n_samples=n_samples, degree=3)).learning_curve
    sizes = curve["train_sizes"]
    # The largest: all training points of KFold's first fold (it holds ceil(n / 5) out).
    assert sizes[0] == 2 and sizes[-1] == n_samples - math.ceil(n_samples / 5)
    assert sizes == sorted(set(sizes)) and len(sizes) <= overfitting.LEARNING_SIZES
    assert all(np.isfinite(curve["test_mean"])) and all(np.isfinite(curve["train_mean"]))
    direct = direct_overfitting(LinearRegression(), 3, sizes, n_samples=n_samples)
    assert_same_curve(curve, direct)


def test_overfitting_sends_everything_but_the_learning_curve_first():
    updates = []
    result = overfitting.run(OverfittingParams(degree=9), progress=updates.append)
    partial = updates[0].partial
    assert partial is not None and partial.learning_curve is None
    assert partial.train_mse == result.train_mse and partial.by_degree == result.by_degree
    assert result.learning_curve is not None


def test_overfitting_stops_between_learning_curve_sizes():
    overfitting.learning_point.cache_clear()
    seen: list[str] = []
    with pytest.raises(Cancelled):
        overfitting.run(
            OverfittingParams(degree=7),
            progress=lambda update: seen.append(update.message),
            cancelled=lambda: any(m.startswith("learning curve:") for m in seen),
        )
    assert overfitting.learning_point.cache_info().currsize == 1


def test_overfitting_learning_curve_warnings_are_a_note_of_their_own():
    # alpha 1e-14: every ridge solve is ill-conditioned; the learning curve's are counted
    # apart from the fit's and the error-vs-degree curve's.
    with pytest.warns(LinAlgWarning):  # the fit's and the error-vs-degree curve's own
        result = overfitting.run(OverfittingParams(alpha=1e-14))
    with pytest.warns(LinAlgWarning) as caught:
        direct_overfitting(Ridge(alpha=1e-14), 14, result.learning_curve["train_sizes"])
    count = sum(issubclass(w.category, LinAlgWarning) for w in caught)
    assert count > 0
    assert any(
        note.startswith(f"learning curve: LinAlgWarning ({count}x): ") for note in result.notes
    )
    assert not any(
        n.startswith("learning curve") for n in overfitting.run(OverfittingParams()).notes
    )
