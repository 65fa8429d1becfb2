"""gaps: the venue-years below the trend gate and the command that would fill each."""

from __future__ import annotations

from splitscope.config import Settings
from splitscope.pipeline.gaps import GapList, list_gaps
from splitscope.selection import Selection
from splitscope.store import open_store


def gaps(settings: Settings, selection: Selection) -> GapList:
    """`splitscope gaps`: venue-years whose author-affiliation coverage is below the trend gate, with
    their coverage, what the store holds by affiliation basis, and the `openalex fill` command for each
    venue the OpenAlex venue map knows."""
    con = open_store(settings.db_path, require=("papers", "authorship_affiliations"))
    try:
        return list_gaps(con, selection)
    finally:
        con.close()
