"""The audit as one self-contained HTML page in the report's style (no scripts, everything escaped)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2


def _rows(doc: dict[str, Any]) -> dict[str, list[list[Any]]]:
    return {
        "exposure_rows": [
            [
                r["jurisdiction"],
                r["dependencies"],
                ", ".join(f"{k} {v}" for k, v in sorted(r["by_kind"].items())),
                "-" if r["cross_border"] is None else ("yes" if r["cross_border"] else "no"),
            ]
            for r in doc["exposure"]
        ],
        "dependency_rows": [
            [
                d["kind"],
                d["subject"],
                d["publisher"],
                d["jurisdiction"],
                d["licence"] or "-",
                f"{d['places'][0]['file']}:{d['places'][0]['line']}",
                len(d["places"]),
            ]
            for d in doc["dependencies"]
        ],
        "dual_rows": [
            [
                s["current"],
                s["jurisdiction"],
                ", ".join(f"{a['model']} ({a['jurisdiction']})" for a in s["alternatives"]) or "none curated",
                s["basis"] or "-",
            ]
            for s in doc["dual_source"]
        ],
        "parity_rows": [
            [
                p["benchmark"],
                p["current"],
                p["current_result"] or "missing",
                p["alternative"],
                p["alternative_result"] or "missing",
                "yes" if p["parity"] else "no",
            ]
            for p in doc["eval_parity"]["pairs"]
        ],
        "skipped_rows": [[s["path"], s["reason"]] for s in doc["skipped"]],
    }


def render_html(doc: dict[str, Any]) -> str:
    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("splitscope.audit", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )
    return environment.get_template("audit.html.j2").render(doc=doc, **_rows(doc))


def write_html(doc: dict[str, Any], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_html(doc), encoding="utf-8")
