"""The production lab has no standalone script yet: its checks (CV honesty, stability,
leakage, drift) are five experiments, not one fit; ``reglab run production --json`` and the
export are its portable results."""

from __future__ import annotations

from reglab.core.production.params import ProductionParams
from reglab.core.scripts import refuse


def render(params: ProductionParams) -> str:
    refuse(True, "the production lab yet: use reglab run production --json")
    raise AssertionError("unreachable")
