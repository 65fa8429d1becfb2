"""Ingestion as a whole: which inputs become which stored sources, and the steps that run after them."""
