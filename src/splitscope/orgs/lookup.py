"""Find registry entries by id or by any of their names (for `splitscope orgs show`)."""

from __future__ import annotations

from splitscope.errors import UnusableInputError
from splitscope.orgs.normalise import normalise
from splitscope.orgs.registry import Org, Registry


def find_orgs(registry: Registry, name: str) -> list[Org]:
    if name in registry.orgs:
        return [registry.orgs[name]]
    ids = registry.alias_index().get(normalise(name), ())
    if not ids:
        raise UnusableInputError(f"no organisation in the registry is called {name!r}")
    return [registry.orgs[i] for i in ids]
