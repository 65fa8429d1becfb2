"""Collaboration analytics: who co-authors across borders, how strongly, and which ties persist.

`tables.collab_tables` assembles every table from the paper country sets of `paper_sets`; `export` turns
them into the `splitscope collab` JSON and CSV (docs/collaboration.md).
"""
