"""OpenAlex: the API (query.py, api.py, budget.py, snapshot_writer.py) writes the snapshot layout
(layout.py), which the flatten (flatten_sql.py: engine-neutral plan; flatten.py) turns into canonical
Parquet that load.py hands to the store. The engines that run the plan live in splitscope/engines/."""
