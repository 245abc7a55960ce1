"""Errors a user can cause. The CLI prints them as one line and exits 2; the app notifies."""


class ReglabError(Exception):
    """Base class for a problem with the user's input, never a bug in reglab."""


class ParamError(ReglabError):
    """A parameter is unknown or its value is not allowed."""

    def __init__(self, name: str, message: str) -> None:
        super().__init__(f"{name}: {message}")
        self.name = name


class DataError(ReglabError):
    """A dataset cannot be used as asked (missing column, NaN, too few rows, ...)."""


class Cancelled(Exception):
    """Raised inside a lab computation when its job has been cancelled."""
