"""Every registered lab's tab at its default parameters, at 120x40 and 80x24."""

import pytest

from reglab.core.registry import LABS
from tests.snapshots.lab_snapshots import SIZES, check_lab


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("lab", list(LABS))
def test_lab_default(snap_compare, lab, size):
    assert check_lab(snap_compare, lab, size)
