"""Affiliation string (+ e-mail domain) → organisation and country: the resolver and its evidence
(gazetteer, domains), the build step that writes the answers to the store, and the evaluation."""
