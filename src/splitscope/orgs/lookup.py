"""Find registry entries by id or by any of their names (for `splitscope orgs show`)."""

from __future__ import annotations

from splitscope.errors import UnusableInputError
from splitscope.orgs.registry import Org
from splitscope.resolve.affiliations import AffiliationResolver
from splitscope.resolve.normalise import normalise


def find_orgs(resolver: AffiliationResolver, name: str) -> list[Org]:
    registry = resolver.registry
    if name in registry.orgs:
        return [registry.orgs[name]]
    ids = resolver.alias_orgs.get(normalise(name), ())
    if not ids:
        raise UnusableInputError(f"no organisation in the registry is called {name!r}")
    return [registry.orgs[i] for i in ids]
