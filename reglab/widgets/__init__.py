"""Reusable widgets: parameter controls, charts, metric tables, job status, the lab pane."""
