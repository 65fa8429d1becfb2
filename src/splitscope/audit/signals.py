"""Turn a named value (an environment variable, a URL, a model name) into findings.

Shared by every scanner so that one value means the same thing wherever it appears. Local and private
addresses are self-hosted serving (kind "serving"), never the hosted API of the SDK's vendor.
"""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import urlsplit

from splitscope.audit.catalog import Catalog
from splitscope.audit.model import API, DATASET, HUB, MODEL, SERVING, Finding, redact

TRUTHY = {"1", "true", "yes", "on"}
# A hub id: "org/name", no scheme, no further slashes, not a relative or absolute path.
HUB_ID = re.compile(r"^[A-Za-z0-9][\w.-]*/[\w.{}-]+$")
URL = re.compile(r"(?:https?|wss?)://[^\s'\"<>()`]+")
LOCAL_PATH = re.compile(r"^(\.{1,2}/|/|~|[A-Za-z]:\\)|\.(gguf|bin|safetensors|pt|pth|onnx)$", re.IGNORECASE)
# Names that only resolve on the user's machine or network (RFC 6761/6762, Docker Desktop, Kubernetes).
LOCAL_NAMES = ("localhost", "host.docker.internal", "gateway.docker.internal")
LOCAL_SUFFIXES = (".localhost", ".local", ".internal", ".lan", ".svc", ".cluster.local", ".home.arpa")

Where = tuple[str, int, str]


def host_of(url: str) -> str:
    try:
        return (urlsplit(url if "://" in url else "http://" + url).hostname or "").lower()
    except ValueError:
        return ""


def local_endpoint(url: str) -> str | None:
    """'host:port' when `url` points at the user's own machine or network: loopback, private and
    link-local ranges, 0.0.0.0, host.docker.internal, *.local, or a single-label name (a compose
    service such as `vllm`); None for a public host. A placeholder such as `{HOST}` is not local."""
    try:
        parts = urlsplit(url if "://" in url else "http://" + url)
        host, port = (parts.hostname or "").lower(), parts.port
    except ValueError:
        return None
    if not host or "{" in url:
        return None
    try:
        address = ipaddress.ip_address(host)
        local = address.is_private or address.is_loopback or address.is_link_local or address.is_unspecified
    except ValueError:
        local = host in LOCAL_NAMES or host.endswith(LOCAL_SUFFIXES) or "." not in host
    if not local:
        return None
    return f"{host}:{port}" if port else host


def serving_finding(endpoint: str, where: Where, detector: str, note: str = "") -> Finding:
    file, line, evidence = where
    text = note or "self-hosted model server: the model it serves is the dependency, not an API vendor"
    return Finding(SERVING, file, line, redact(evidence), endpoint, detector, "self:", text)


def url_findings(catalog: Catalog, url: str, where: Where, detector: str) -> list[Finding]:
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
    catalog: Catalog, name: str, value: str | None, where: Where, detector: str
) -> list[Finding]:
    """Findings for setting environment variable `name` to `value` (None: value not statically known)."""
    spec = catalog.environment.get(name)
    if spec is None:
        return []
    file, line, evidence = where
    evidence = redact(evidence)
    effect = spec["effect"]
    if effect == "vendor_key":
        if value is not None and value.strip().strip("'\"") in catalog.placeholder_keys:
            return []  # api_key="EMPTY": the convention for a local server, not a vendor account
        kind = spec.get("kind", API)
        return [Finding(kind, file, line, evidence, name, detector, f"org:{spec['org']}", "API key variable")]
    if value is None:
        kind = HUB if effect in ("hub_endpoint", "use_hub") else API
        note = f"{name} set to a value not known statically"
        return [Finding(kind, file, line, evidence, "", detector, "", note)]
    if effect == "use_hub":
        if value.strip().strip("'\"").lower() not in TRUTHY:
            return []
        return [Finding(HUB, file, line, evidence, f"{name}={value}", detector, f"org:{spec['hub']}")]
    endpoint = local_endpoint(value)
    if endpoint is not None and effect in ("api_base", "serving_base"):
        return [serving_finding(endpoint, where, detector, f"{name} points at a self-hosted server")]
    host = host_of(value)
    if not host:
        return []
    kind = HUB if effect == "hub_endpoint" else API
    return [Finding(kind, file, line, evidence, host, detector, f"host:{host}", f"{name} redirect")]


def model_name_finding(
    catalog: Catalog,
    value: str,
    where: Where,
    detector: str,
    kind: str = MODEL,
    named: bool = False,
    vendor: str | None = None,
) -> Finding | None:
    """A model or dataset named by a value: hub id, local path, or (models only) a known name prefix.
    `named`: the context says the value names a model (a `model=` argument, a `--model` flag), so a bare
    prefix such as "qwen" counts; `vendor`: the class serves only this org's models."""
    file, line, evidence = where
    value = value.strip()
    if not value or len(value) > 200 or "\n" in value:
        return None
    evidence = redact(evidence)
    canonical = catalog.canonical_ids.get(value.lower())
    if canonical:
        hint = f"hub:{canonical.split('/')[0]}"
        return Finding(kind, file, line, evidence, canonical, detector, hint, f"legacy id {value}")
    if LOCAL_PATH.search(value):
        return Finding(kind, file, line, evidence, value, detector, "", "local path")
    if HUB_ID.match(value):
        return Finding(kind, file, line, evidence, value, detector, f"hub:{value.split('/')[0]}")
    if kind == DATASET:
        return None  # dataset split and config names ("train_sft", "aya_en") are not ids
    if vendor is not None and " " not in value:
        return Finding(
            kind, file, line, evidence, value, detector, f"org:{vendor}", "named by the vendor's class"
        )
    if catalog.org_for_name(value, bare=named):
        return Finding(kind, file, line, evidence, value, detector, f"name:{value}")
    return None
