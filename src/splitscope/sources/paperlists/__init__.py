"""Paper Copilot paper lists: parse (file → rows), authors and affiliations (per-record rows), download."""
