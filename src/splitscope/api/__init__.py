"""The library surface: one function per `splitscope` command, typed inputs (a parsed `Selection`,
`Settings`), typed results with `to_dict()`. The CLI parses, calls one of these and formats its result.

A result may carry a `problem` (a SplitscopeError): the command did its work and has something to show,
but must still end with that error's exit code (unusable files in a build, an audit gate that failed, a
fetch that stopped early).
"""

from splitscope.api.analysis import CollabOptions, CollabResult, TalentOptions, TalentResult, collab, talent
from splitscope.api.audit import AuditOptions, AuditResult, audit
from splitscope.api.gaps import gaps
from splitscope.api.remote import (
    OpenAlexFetchOptions,
    openalex_fetch,
    openalex_fill,
    openalex_ingest_snapshot,
    openalex_venues,
    openreview_fetch,
    works_query,
)
from splitscope.api.resolution import (
    eval_affiliations,
    eval_persons,
    orgs_import_ror,
    orgs_show,
    person,
    resolve_affiliation,
)
from splitscope.api.store import build, report, status

__all__ = [
    "AuditOptions",
    "AuditResult",
    "CollabOptions",
    "CollabResult",
    "OpenAlexFetchOptions",
    "TalentOptions",
    "TalentResult",
    "audit",
    "build",
    "collab",
    "eval_affiliations",
    "eval_persons",
    "gaps",
    "openalex_fetch",
    "openalex_fill",
    "openalex_ingest_snapshot",
    "openalex_venues",
    "openreview_fetch",
    "orgs_import_ror",
    "orgs_show",
    "person",
    "report",
    "resolve_affiliation",
    "status",
    "talent",
    "works_query",
]
