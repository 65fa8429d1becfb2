"""Turn a named value (an environment variable, a URL, a model name) into findings.

Shared by the Python, config and dependency scanners so that one value means the same thing wherever it
appears.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from splitscope.audit.catalog import Catalog
from splitscope.audit.model import API, HUB, MODEL, Finding, redact

TRUTHY = {"1", "true", "yes", "on"}
# A hub id: "org/name", no scheme, no further slashes, not a relative or absolute path.
HUB_ID = re.compile(r"^[A-Za-z0-9][\w.-]*/[\w.{}-]+$")
URL = re.compile(r"https?://[^\s'\"<>()]+")
LOCAL_PATH = re.compile(r"^(\.{1,2}/|/|~|[A-Za-z]:\\)|\.(gguf|bin|safetensors|pt|pth|onnx)$", re.IGNORECASE)


def host_of(url: str) -> str:
    try:
        return (urlsplit(url if "://" in url else "http://" + url).hostname or "").lower()
    except ValueError:
        return ""


def url_findings(catalog: Catalog, url: str, where: tuple[str, int, str], detector: str) -> list[Finding]:
    """A URL is a finding when its host is a known API or hub host (or a hub of unknown operator)."""
    host = host_of(url)
    org_id, known = catalog.org_for_host(host)
    if org_id is None and not known and not _is_unknown_host(catalog, host):
        return []
    kind = HUB if catalog.is_hub_host(host) else API
    file, line, evidence = where
    return [Finding(kind, file, line, redact(evidence), host, detector, f"host:{host}")]


def _is_unknown_host(catalog: Catalog, host: str) -> bool:
    return any(host == h or host.endswith("." + h) for h in catalog.unknown_hosts)


def env_findings(
    catalog: Catalog, name: str, value: str | None, where: tuple[str, int, str], detector: str
) -> list[Finding]:
    """Findings for setting environment variable `name` to `value` (None: value not statically known)."""
    spec = catalog.environment.get(name)
    if spec is None:
        return []
    file, line, evidence = where
    evidence = redact(evidence)
    effect = spec["effect"]
    if effect == "vendor_key":
        return [Finding(API, file, line, evidence, name, detector, f"org:{spec['org']}", "API key variable")]
    if value is None:
        return [
            Finding(
                HUB if effect != "api_base" else API,
                file,
                line,
                evidence,
                "",
                detector,
                "",
                f"{name} set to a value not known statically",
            )
        ]
    if effect == "use_hub":
        if value.strip().strip("'\"").lower() not in TRUTHY:
            return []
        return [Finding(HUB, file, line, evidence, f"{name}={value}", detector, f"org:{spec['hub']}")]
    host = host_of(value)
    kind = HUB if effect == "hub_endpoint" else API
    return [Finding(kind, file, line, evidence, host, detector, f"host:{host}", f"{name} redirect")]


def model_name_finding(
    catalog: Catalog, value: str, where: tuple[str, int, str], detector: str, kind: str = MODEL
) -> Finding | None:
    """A model named by a config value or an API call: hub id, local path, or a known model-name prefix."""
    file, line, evidence = where
    value = value.strip()
    if not value:
        return None
    canonical = catalog.canonical_ids.get(value.lower())
    if canonical:
        return Finding(
            kind,
            file,
            line,
            redact(evidence),
            canonical,
            detector,
            f"hub:{canonical.split('/')[0]}",
            f"legacy id {value}",
        )
    if LOCAL_PATH.search(value):
        return Finding(kind, file, line, redact(evidence), value, detector, "", "local path")
    if HUB_ID.match(value):
        return Finding(kind, file, line, redact(evidence), value, detector, f"hub:{value.split('/')[0]}")
    if catalog.org_for_name(value):
        return Finding(kind, file, line, redact(evidence), value, detector, f"name:{value}")
    return None
