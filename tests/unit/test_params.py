"""The param specs: parsing, validation, stepping — the one source of truth for CLI and UI."""

import pytest

from reglab.core.errors import ParamError
from reglab.core.overfitting.params import OverfittingParams
from reglab.core.penalties.params import PenaltiesParams
from reglab.core.registry import LABS
from reglab.core.spec import format_value, specs, step_value, with_values
from reglab.core.trees.params import TreesParams


def test_every_lab_param_has_a_spec_and_a_valid_default():
    for params_class in (lab.params for lab in LABS.values()):
        defaults = params_class()
        for name, spec in specs(params_class).items():
            assert spec.help, f"{params_class.__name__}.{name} needs help text"
            # Re-applying each default through the validator must accept it unchanged.
            assert getattr(with_values(defaults, {name: getattr(defaults, name)}), name) == getattr(
                defaults, name
            )


def test_strings_are_parsed_and_validated():
    params = with_values(
        PenaltiesParams(), {"alpha": "0.5", "model": "Ridge", "standardize": "yes", "folds": "3"}
    )
    assert (params.alpha, params.model, params.standardize, params.folds) == (0.5, "ridge", True, 3)


@pytest.mark.parametrize(
    ("updates", "name", "fragment"),
    [
        ({"alpha": "-1"}, "alpha", "[1e-10, 1e+20]"),
        ({"alpha": "abc"}, "alpha", "a number"),
        ({"alpha": "nan"}, "alpha", "a number"),
        ({"folds": "2.5"}, "folds", "an integer"),
        ({"model": "svm"}, "model", "one of ridge, lasso, elasticnet"),
        ({"bogus": "1"}, "bogus", "unknown parameter"),
        ({"dataset": "csv"}, "data", "data=PATH"),
    ],
)
def test_bad_values_name_the_parameter_and_what_is_allowed(updates, name, fragment):
    with pytest.raises(ParamError) as error:
        with_values(PenaltiesParams(), updates)
    assert str(error.value).startswith(f"{name}: ")
    assert fragment in str(error.value)


def test_log_steps_move_by_the_spec_step_and_clamp():
    alpha = specs(PenaltiesParams)["alpha"]
    assert step_value(alpha, 1.0, +1) == pytest.approx(10**0.25)
    assert step_value(alpha, 1.0, +1, big=True) == pytest.approx(10.0)
    assert step_value(alpha, 1e20, +1) == 1e20
    assert step_value(alpha, 1e-10, -1) == 1e-10


def test_log_steps_stay_within_the_datas_span_once_inside_it():
    alpha, span = specs(PenaltiesParams)["alpha"], (0.0066367, 66.3672)
    assert step_value(alpha, 1.0, +1, span=span) == pytest.approx(10**0.25)
    assert step_value(alpha, 56.2, +1, span=span) == 66.3672  # stops at alpha_max
    assert step_value(alpha, 66.3672, +1, span=span) == 66.3672
    assert step_value(alpha, 0.0075, -1, span=span) == 0.0066367
    # A typed value beyond the span steps on from where it is.
    assert step_value(alpha, 5000.0, -1, span=span) == pytest.approx(10**3.5, rel=1e-5)
    ridge = specs(OverfittingParams)["alpha"]  # its range starts at 0: no penalty
    assert step_value(ridge, 0.0, +1, span=(1.9e-8, 1932.0)) == 1.9e-8
    assert step_value(ridge, 1.9e-8, -1, span=(1.9e-8, 1932.0)) == 0.0


def test_log_step_from_zero_reaches_the_floor_and_back():
    alpha = specs(OverfittingParams)["alpha"]
    assert step_value(alpha, 0.0, +1) == alpha.floor
    assert step_value(alpha, alpha.floor, -1) == 0.0


def test_linear_choice_bool_and_none_steps():
    degree = specs(OverfittingParams)["degree"]
    assert step_value(degree, 14, +1) == 15
    assert step_value(degree, 20, +1) == 20
    model = specs(PenaltiesParams)["model"]
    assert step_value(model, "lasso", +1) == "elasticnet"
    assert step_value(model, "elasticnet", +1) == "ridge"
    assert step_value(specs(PenaltiesParams)["standardize"], False, +1) is True
    depth = specs(TreesParams)["max_depth"]
    assert step_value(depth, 30, +1) is None
    assert step_value(depth, None, -1) == 30


def test_format_value_round_trips():
    assert format_value(0.001) == "0.001"
    assert format_value(None) == "none"
    assert format_value(True) == "true"
    assert format_value((0.1, None)) == "0.1,none"
