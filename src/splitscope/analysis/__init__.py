"""Metrics as SQL over the store's canonical tables, each returned as a MetricTable with its coverage.

Shared: `metric_table` (MetricTable, Coverage), `bootstrap` (intervals from resampling whole units),
`claims` (+ `claims.yaml`). The two families: `talent/` and `collab/`.
"""
