"""The plotly.js partial bundle the report inlines (SOURCE.json says what it is and how it was built)."""

from __future__ import annotations

import json
from functools import cache
from importlib.resources import files

BUNDLE = "plotly-splitscope.min.js"


@cache
def plotly_bundle() -> str:
    return files(__package__).joinpath(BUNDLE).read_text(encoding="utf-8")


def bundle_source() -> dict:
    return json.loads(files(__package__).joinpath("SOURCE.json").read_text(encoding="utf-8"))
