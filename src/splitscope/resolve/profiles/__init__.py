"""OpenReview profiles as evidence: dated history entries resolved to organisations and countries, and the
country of each linked person's first bachelor-level degree."""
