"""Talent analytics: where researchers work, where they were first observed, who moves, returns and stays.

`tables.talent_tables` assembles every table; `careers` builds the person-year temp tables the others
read; `origin`, `moves`, `balance` and `concentration` compute the metrics (docs/talent.md).
"""
