"""OpenReview: the API (api.py fetches, records.py maps to rows, load.py writes a venue to the store) and
papercopilot's openreview-authors files that enrich a paper list (authors.py)."""
