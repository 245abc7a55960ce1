"""The app gives its first screen the breakpoint classes Textual's resize would give it."""

import pytest
from textual.screen import Screen

from reglab.app import ReglabApp, breakpoint_class


@pytest.mark.parametrize("size", [0, 1, 31, 32, 33, 59, 99, 100, 101, 500])
def test_breakpoint_class_is_textuals(size):
    for breakpoints in (ReglabApp.HORIZONTAL_BREAKPOINTS, ReglabApp.VERTICAL_BREAKPOINTS):
        expected = Screen()._get_breakpoint_classes(size, breakpoints)
        assert {breakpoint_class(size, breakpoints)} == expected
