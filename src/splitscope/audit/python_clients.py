"""Python detectors for model clients: provider classes (OpenAI-compatible clients, LangChain, LlamaIndex,
vendor SDKs; audit/data/providers.yaml) with the argument that names the model and the one that sets the
endpoint; API calls (`client.chat.completions.create(model=...)`); model names in dict literals and
keyword arguments; `setup(install_requires=...)`.

Context decides what a model name is: a client whose base URL is local or private is a self-hosted
server, so the models called through it are models (their publisher's jurisdiction as weights), not the
SDK vendor's hosted API.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field

from splitscope.audit.catalog import Provider, normalise_package
from splitscope.audit.model import API, MODEL, PACKAGE, Finding, redact
from splitscope.audit.python_scanner import Scanner, arg, where_redacted
from splitscope.audit.signals import local_endpoint, model_name_finding, serving_finding, url_findings

API_CALL_NAMES = {"create", "call", "acreate", "completion", "acompletion", "generate_content", "complete"}
# Keywords and dict keys that name a model wherever they appear (the exact name, not a substring:
# `hub_model_id` is where a run writes, not what it reads).
NAMING_KEY = re.compile(
    r"^(model|model_?name|model_?id|model_name_or_path|embedding_?model|rerank(er|_model)|llm_?model)$",
    re.IGNORECASE,
)
BASE_KEY = re.compile(r"^(base_url|api_base|openai_api_base|base|endpoint|host|url)$", re.IGNORECASE)
# Variables and class fields holding a hub id: `reranker: str = "BAAI/bge-reranker-v2-m3"`.
MODEL_TARGET = re.compile(r"model|rerank|embed|tokenizer|checkpoint|llm", re.IGNORECASE)
SETUP_CALLS = {"setuptools.setup", "distutils.core.setup", "setup"}
REQUIREMENT_NAME = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")


@dataclass
class Clients:
    """Client objects bound to names in one module, and whether their endpoint is self-hosted."""

    local: dict[str, str] = field(default_factory=dict)  # variable -> local endpoint
    hosted: dict[str, Provider | None] = field(default_factory=dict)  # variable -> provider class
    local_modules: set[str] = field(default_factory=set)  # modules of classes used only locally
    hosted_modules: set[str] = field(default_factory=set)

    def all_local(self) -> bool:
        return bool(self.local) and not self.hosted


def _endpoints(s: Scanner, provider: Provider, call: ast.Call) -> tuple[ast.expr | None, list[str]]:
    node = arg(call, None, *provider.base_url_keywords) if provider.base_url_keywords else None
    return node, [v.text for v in s.facts.resolve(node)]


def _base_findings(s: Scanner, provider: Provider, call: ast.Call, detector: str) -> str | None:
    """Findings for the endpoint of a client; returns the local endpoint when it is self-hosted."""
    node, values = _endpoints(s, provider, call)
    if node is None:
        if provider.host == "local":
            s.findings.append(
                serving_finding("localhost:11434", s.where(call), detector, "default local server")
            )
            return "localhost:11434"
        if provider.host:
            variable = provider.base_env or "an environment variable"
            note = f"default base URL ({variable} can override it)"
            s.findings.append(
                Finding(API, *where_redacted(s, call), provider.host, detector, f"host:{provider.host}", note)
            )
        return None
    if not values:
        s.add(API, node, None, detector)
        return None
    local = None
    for value in values:
        endpoint = local_endpoint(value)
        if endpoint is not None:
            s.findings.append(serving_finding(endpoint, s.where(node), detector))
            local = local or endpoint
            continue
        found = url_findings(s.catalog, value, s.where(node), detector)
        s.findings.extend(
            found
            or [Finding(API, *where_redacted(s, node), value, detector, "", "base URL of an unlisted host")]
        )
    return local


def model_finding(
    s: Scanner, node: ast.expr, value_text: str, detector: str, local: str | None, provider: Provider | None
) -> Finding | None:
    """The model a client names: a served model when the endpoint is local, weights for embedding
    classes that load them, else the vendor's API model (attributed to the vendor if its class is
    exclusive to its models)."""
    where = s.where(node)
    if local is not None:
        found = model_name_finding(s.catalog, value_text, where, detector, MODEL, named=True)
        return _with_note(found, f"served by the self-hosted server at {local}")
    if provider is not None and provider.weights:
        return model_name_finding(s.catalog, value_text, where, detector, MODEL, named=True)
    vendor = provider.org if provider is not None and provider.exclusive else None
    return model_name_finding(s.catalog, value_text, where, detector, API, named=True, vendor=vendor)


def _with_note(found: Finding | None, note: str) -> Finding | None:
    if found is None:
        return None
    joined = "; ".join(n for n in (found.note, note) if n)
    return Finding(
        found.kind, found.file, found.line, found.evidence, found.subject, found.detector, found.hint, joined
    )


def detect_provider(s: Scanner, call: ast.Call, qualified: str, clients: Clients, target: str | None) -> bool:
    provider = s.catalog.provider(qualified) if qualified else None
    if provider is None:
        return False
    detector = f"python:{provider.name}"
    local = None if provider.weights else _base_findings(s, provider, call, detector)
    module = qualified.rsplit(".", 1)[0]
    if local is not None:
        clients.local_modules.add(module)
        if target:
            clients.local[target] = local
    elif not provider.weights:
        clients.hosted_modules.add(module)
        if target:
            clients.hosted[target] = provider
    node = arg(call, provider.model_position, *provider.model_keywords) if provider.model_keywords else None
    for value in s.facts.resolve(node) if node is not None else []:
        found = model_finding(s, node, value.text, detector, local, provider)
        if found is not None:
            s.findings.append(found)
    return True


def _receiver(call: ast.Call) -> ast.expr | None:
    node = call.func
    while isinstance(node, ast.Attribute):
        node = node.value
    return node


def detect_api_call(s: Scanner, call: ast.Call, qualified: str, name: str, clients: Clients) -> bool:
    if name not in API_CALL_NAMES or not call.keywords or qualified.startswith("ollama."):
        return False
    model_node = arg(call, None, "model")
    if model_node is None:
        return False
    receiver = _receiver(call)
    local, provider = None, None
    if isinstance(receiver, ast.Name):
        local = clients.local.get(receiver.id)
        provider = clients.hosted.get(receiver.id)
        if local is None and provider is None and clients.all_local():
            local = next(iter(clients.local.values()))
    elif isinstance(receiver, ast.Call):
        provider = s.catalog.provider(s.facts.qualified(receiver.func))
    for value in s.facts.resolve(model_node):
        found = model_finding(s, model_node, value.text, "python:api_model", local, provider)
        if found is not None:
            s.findings.append(found)
    return True


def detect_named_keywords(s: Scanner, call: ast.Call) -> None:
    """`model=`/`model_name=` of any other call: a model when the value is an id or a known model name."""
    for keyword in call.keywords:
        if keyword.arg and NAMING_KEY.match(keyword.arg):
            for value in s.facts.resolve(keyword.value):
                found = model_name_finding(
                    s.catalog, value.text, s.where(keyword.value), "python:keyword", MODEL, named=True
                )
                if found is not None:
                    s.findings.append(found)


def detect_dict_literal(s: Scanner, node: ast.Dict) -> None:
    """{"model": "deepseek-chat", "base_url": "https://api.deepseek.com"}: a client configuration. The
    model is an API model when the dict names a hosted endpoint, a served model when a local one."""
    pairs = [
        (k.value, v)
        for k, v in zip(node.keys, node.values, strict=True)
        if isinstance(k, ast.Constant) and isinstance(k.value, str)
    ]
    local, hosted = None, False
    for key, value_node in pairs:
        if BASE_KEY.match(key):
            for value in s.facts.resolve(value_node):
                endpoint = local_endpoint(value.text)
                if endpoint is not None:
                    s.findings.append(serving_finding(endpoint, s.where(value_node), "python:dict"))
                    local = local or endpoint
                hosted = hosted or (endpoint is None and "://" in value.text)
    for key, value_node in pairs:
        if not NAMING_KEY.match(key):
            continue
        for value in s.facts.resolve(value_node):
            kind = API if hosted and local is None else MODEL
            found = model_name_finding(
                s.catalog, value.text, s.where(value_node), "python:dict", kind, named=True
            )
            if found is not None:
                s.findings.append(_with_note(found, f"served at {local}") if local else found)


def detect_model_assignment(s: Scanner, target: ast.expr, value_node: ast.expr) -> None:
    """A hub id assigned to a model-named variable or class field (only ids with an organisation: a bare
    name in a variable is too weak a signal on its own)."""
    name = target.attr if isinstance(target, ast.Attribute) else getattr(target, "id", "")
    if not name or not MODEL_TARGET.search(name) or name.lower() in s.catalog.keys["outputs"]:
        return
    for value in s.facts.resolve(value_node):
        if "/" in value.text and not value.partial:
            found = model_name_finding(s.catalog, value.text, s.where(value_node), "python:assignment", MODEL)
            if found is not None and found.hint.startswith("hub:"):
                s.findings.append(found)


def detect_setup(s: Scanner, call: ast.Call, qualified: str) -> bool:
    """setup.py: `setup(install_requires=[...], extras_require={...})` declares dependencies."""
    if qualified not in SETUP_CALLS:
        return False
    nodes: list[ast.expr] = []
    for keyword in call.keywords:
        if keyword.arg in ("install_requires", "setup_requires") and isinstance(keyword.value, ast.List):
            nodes += keyword.value.elts
        elif keyword.arg == "extras_require" and isinstance(keyword.value, ast.Dict):
            nodes += [e for group in keyword.value.values if isinstance(group, ast.List) for e in group.elts]
    for node in nodes:
        for value in s.facts.resolve(node):
            match = REQUIREMENT_NAME.match(value.text)
            package = s.catalog.packages.get(normalise_package(match.group(1))) if match else None
            if package is not None:
                file, line, text = s.where(node)
                s.findings.append(
                    Finding(
                        PACKAGE,
                        file,
                        line,
                        redact(text),
                        package.name,
                        "deps:setup.py",
                        f"package:{package.name}",
                        package.role,
                    )
                )
    return True
