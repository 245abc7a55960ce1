"""Numerical core of reglab: datasets, parameter specs, lab computations, typed results.

Nothing in this package imports textual; the CLI, tests and the app all call it directly.
"""
