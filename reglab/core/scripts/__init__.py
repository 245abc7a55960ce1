"""``reglab script LAB``: a standalone Python script that reproduces a lab's result.

The script imports only numpy, pandas, scikit-learn (and torch for the dropout lab), never
reglab: plain library calls as the tutorial's own code makes them, the parameters written in
as literals, and at the end the lab's key numbers (the registry's ``key_numbers``) printed as
one JSON object — the same numbers ``reglab run LAB --json`` gives, to 1e-9
(``tests/system/test_scripts.py`` runs every lab's script against it). Where reglab computes
something a faster way (a whole sweep from one path, tree depths read off one tree), the
script makes the plain calls those paths are tested against.

Each lab's template is ``reglab.core.scripts.<lab>:render``, named by the registry.
"""

from __future__ import annotations

import pprint
import textwrap

from reglab.core.errors import ReglabError
from reglab.core.spec import LabParams, params_to_json


class NoScript(ReglabError):
    """These settings have no standalone script (say which, and what would)."""


def scaled(model: str, standardize: bool) -> str:
    """The estimator's code: ``model``, inside a pipeline after a StandardScaler when the
    lab standardizes (the scaler fitted on each training fold only, as the lab does)."""
    return f"make_pipeline(StandardScaler(), {model})" if standardize else model


def header(params: LabParams, needs: str = "numpy, pandas, scikit-learn") -> str:
    settings = pprint.pformat(params_to_json(params), sort_dicts=False)
    return (
        textwrap.dedent(
            f'''\
        """The {params.lab} lab's result, reproduced with plain library calls.

        Written by `reglab script {params.lab}`: it needs {needs}, not reglab. It prints
        the lab's key numbers as JSON, the same as `reglab run {params.lab} --json` gives.
        The lab's settings were:
        """

        import json

        '''
        )
        + f"SETTINGS = {settings}\n"
    )


def footer(numbers: str) -> str:
    """``numbers``: the code of a dict of the key numbers."""
    return f"\nprint(json.dumps({numbers}, indent=2))\n"


def refuse(condition: bool, what: str) -> None:
    if condition:
        raise NoScript(f"no standalone script for {what}")


def data_code(params, task: str) -> str:
    """Code that makes ``X`` and ``y`` (and ``true_coef`` where known) as the lab loads them:
    ``task`` is ``regression`` or ``classification``."""
    dataset = params.dataset
    if dataset == "synthetic":
        return (
            "from sklearn.datasets import make_regression\n\n"
            "X, y, true_coef = make_regression(\n"
            "    n_samples=100, n_features=20, n_informative=5, noise=10,"
            f" random_state={params.seed}, coef=True\n)\n"
        )
    if dataset == "correlated":
        return textwrap.dedent(
            f"""\
            # Two strongly correlated features and an independent one.
            rng = np.random.RandomState({params.seed})
            med_count = rng.normal(0, 1, 500)
            polypharmacy = 0.8 * med_count + rng.normal(0, 1, 500)
            age = rng.normal(0, 1, 500)
            y = 0.5 * med_count + 0.5 * polypharmacy + 0.3 * age + rng.normal(0, 0.5, 500)
            X = np.column_stack([med_count, polypharmacy, age])
            """
        )
    if dataset == "csv":
        refuse(params.encode != "none", "encode=onehot (one-hot encode the CSV with pandas)")
        drop = [name.strip() for name in params.drop.split(",") if name.strip()]
        return textwrap.dedent(
            f"""\
            import pandas as pd

            frame = pd.read_csv({params.data!r}, sep=None, engine="python")
            frame = frame.drop(columns=[c for c in frame if c.startswith("Unnamed: 0")])
            y = frame[{params.target!r}].to_numpy()
            X = frame.drop(columns=[{params.target!r}, *{drop!r}]).to_numpy(dtype=float)
            """
        )
    return (
        f"from sklearn.datasets import load_{dataset}\n\nX, y = load_{dataset}(return_X_y=True)\n"
    )
