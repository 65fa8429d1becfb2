"""Authorships → persons: link records, the Splink models, the two-stage linker, constrained clustering,
the build step, the evaluation against hidden OpenReview ids and the `person` lookup."""
