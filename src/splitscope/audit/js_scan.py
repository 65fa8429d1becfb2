"""JavaScript and TypeScript detectors on a real syntax tree (tree-sitter; comments never count).

What is read: imports and `require()` of catalogued SDKs; client and provider classes (`new OpenAI({
baseURL })`, `new ChatOpenAI({ model })`; audit/data/providers.yaml) with their endpoint and model;
`model:` of API calls (`client.chat.completions.create({ model })`); Vercel AI SDK provider factories
(`openai("gpt-4o")`); reads of vendor key variables (`process.env.DEEPSEEK_API_KEY`); model ids under
model-like keys and constants (`MODELS = [{ id: "gpt-4o" }]`); URLs of known API and hub hosts.

Names attributed only by a model-name prefix are API models here (browser and server apps call hosted
APIs); hub ids are models; a client with a local base URL makes its models served models.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from tree_sitter import Language, Node, Parser

from splitscope.audit.catalog import Catalog, Provider
from splitscope.audit.model import API, HUB, MODEL, Finding, redact
from splitscope.audit.signals import (
    URL,
    env_findings,
    local_endpoint,
    model_name_finding,
    serving_finding,
    url_findings,
)

TYPESCRIPT = (".ts", ".mts", ".cts")
TSX = (".tsx", ".jsx")
JAVASCRIPT = (".js", ".mjs", ".cjs")
MODEL_PATH = re.compile(r"model|llm|embedding", re.IGNORECASE)
ID_KEYS = {"id", "model", "modelid", "model_id", "modelname", "model_name", "slug", "value", "name"}
BASE_KEYS = ("baseURL", "baseUrl", "base_url", "basePath", "endpoint", "host")


@lru_cache(maxsize=3)
def _parser(dialect: str) -> Parser:
    if dialect == "js":
        import tree_sitter_javascript as grammar

        return Parser(Language(grammar.language()))
    import tree_sitter_typescript as typescript

    language = typescript.language_tsx() if dialect == "tsx" else typescript.language_typescript()
    return Parser(Language(language))


def dialect_of(name: str) -> str | None:
    lowered = name.lower()
    if lowered.endswith(".d.ts"):
        return None  # type declarations: no values
    if lowered.endswith(TYPESCRIPT):
        return "ts"
    if lowered.endswith(TSX):
        return "tsx"
    if lowered.endswith(JAVASCRIPT):
        return "js"
    return None


def _text(node: Node | None) -> str:
    return node.text.decode("utf-8", "replace") if node is not None and node.text is not None else ""


@dataclass
class _Module:
    catalog: Catalog
    relative: str
    lines: list[str]
    imports: dict[str, str] = field(default_factory=dict)  # local name -> "module.Name"
    constants: dict[str, str] = field(default_factory=dict)  # const NAME = "value"
    local_clients: dict[str, str] = field(default_factory=dict)  # variable -> local endpoint
    findings: list[Finding] = field(default_factory=list)

    def where(self, node: Node) -> tuple[str, int, str]:
        row = node.start_point[0]
        return self.relative, row + 1, self.lines[row] if row < len(self.lines) else ""

    def string(self, node: Node | None) -> str | None:
        """A string literal, a substitution-free template, or a constant bound to one."""
        if node is None:
            return None
        if node.type == "string":
            return "".join(
                _text(c) for c in node.children if c.type in ("string_fragment", "escape_sequence")
            )
        if node.type == "template_string" and not any(
            c.type == "template_substitution" for c in node.children
        ):
            return "".join(_text(c) for c in node.children if c.type == "string_fragment")
        if node.type == "identifier":
            return self.constants.get(_text(node))
        return None

    def add(self, finding: Finding | None) -> None:
        if finding is not None:
            self.findings.append(finding)


def _properties(module: _Module, node: Node | None, prefix: str = "") -> dict[str, Node]:
    """Flattened `key -> value node` of an object literal (nested keys dotted: configuration.baseURL)."""
    found: dict[str, Node] = {}
    if node is None or node.type != "object":
        return found
    for pair in node.named_children:
        if pair.type == "shorthand_property_identifier":
            found[prefix + _text(pair)] = pair
            continue
        if pair.type != "pair":
            continue
        key_node, value = pair.child_by_field_name("key"), pair.child_by_field_name("value")
        key = (
            module.string(key_node) if key_node is not None and key_node.type == "string" else _text(key_node)
        )
        if value is not None:
            found[prefix + key] = value
            found.update(_properties(module, value, f"{prefix}{key}."))
    return found


def _first_argument(call: Node) -> Node | None:
    arguments = call.child_by_field_name("arguments")
    named = arguments.named_children if arguments is not None else []
    return named[0] if named else None


def _model(
    module: _Module, node: Node, value: str, detector: str, local: str | None, vendor: str | None
) -> None:
    where = module.where(node)
    if local is not None or "/" in value:
        module.add(model_name_finding(module.catalog, value, where, detector, MODEL, named=True))
    else:
        module.add(model_name_finding(module.catalog, value, where, detector, API, named=True, vendor=vendor))


def _provider_call(module: _Module, call: Node, provider: Provider, target: str | None) -> None:
    detector = f"js:{provider.name}"
    options = _first_argument(call)
    props = _properties(module, options)
    base_node = next((props[k] for k in (*provider.base_url_keywords, *BASE_KEYS) if k in props), None)
    local = None
    if base_node is not None:
        value = module.string(base_node)
        endpoint = local_endpoint(value) if value else None
        if endpoint is not None:
            module.add(serving_finding(endpoint, module.where(base_node), detector))
            local = endpoint
        elif value:
            found = url_findings(module.catalog, value, module.where(base_node), detector)
            module.findings += found or [
                Finding(
                    API, *_redacted(module, base_node), value, detector, "", "base URL of an unlisted host"
                )
            ]
    elif provider.host == "local":
        module.add(serving_finding("localhost:11434", module.where(call), detector, "default local server"))
        local = "localhost:11434"
    elif provider.host:
        note = "default base URL (an option or environment variable can override it)"
        module.add(
            Finding(API, *_redacted(module, call), provider.host, detector, f"host:{provider.host}", note)
        )
    if local is not None and target:
        module.local_clients[target] = local
    model_node = next((props[k] for k in provider.model_keywords if k in props), None)
    if (
        model_node is None
        and provider.model_position == 0
        and options is not None
        and options.type != "object"
    ):
        model_node = options
    value = module.string(model_node)
    if value and model_node is not None:
        vendor = provider.org if provider.exclusive else None
        _model(module, model_node, value, detector, local, vendor)


def _redacted(module: _Module, node: Node) -> tuple[str, int, str]:
    file, line, text = module.where(node)
    return file, line, redact(text)


def _root_name(node: Node | None) -> str:
    while node is not None and node.type == "member_expression":
        node = node.child_by_field_name("object")
    return _text(node) if node is not None and node.type == "identifier" else ""


def _call(module: _Module, call: Node, target: str | None) -> None:
    function = call.child_by_field_name("function") or call.child_by_field_name("constructor")
    name = _text(function)
    if name == "require":
        _import(module, call, module.string(_first_argument(call)) or "", {})
        return
    qualified = module.imports.get(name.split(".")[0], "")
    if qualified and "." in name:
        qualified = f"{qualified.rsplit('.', 1)[0]}.{name.rsplit('.', 1)[-1]}"
    provider = module.catalog.provider(qualified) if qualified else None
    if provider is not None:
        _provider_call(module, call, provider, target)
        return
    factory_org = module.catalog.ai_sdk_factories.get(qualified.rsplit(".", 1)[0]) if qualified else None
    first = _first_argument(call)
    if factory_org is not None and first is not None and module.string(first):
        _model(module, first, module.string(first) or "", "js:ai-sdk", None, factory_org)
        return
    model_node = _properties(module, first).get("model") if first is not None else None
    value = module.string(model_node)
    if value and model_node is not None:
        _model(
            module, model_node, value, "js:api_model", module.local_clients.get(_root_name(function)), None
        )


def _import(module: _Module, node: Node, source: str, names: dict[str, str]) -> None:
    for local, imported in names.items():
        module.imports[local] = f"{source}.{imported}"
    package = module.catalog.npm_packages.get(source)
    if package is None or package.role == "framework":
        return
    kind = API if package.role == "api_sdk" else HUB
    module.add(Finding(kind, *_redacted(module, node), package.name, "js:import", f"package:{package.name}"))


def _import_names(node: Node) -> dict[str, str]:
    names: dict[str, str] = {}
    for clause in (c for c in node.children if c.type == "import_clause"):
        for part in clause.children:
            if part.type == "identifier":  # default import: the local name is the class name
                names[_text(part)] = _text(part)
            for spec in (s for s in part.named_children if s.type == "import_specifier"):
                imported = _text(spec.child_by_field_name("name"))
                names[_text(spec.child_by_field_name("alias")) or imported] = imported
    return names


def _env_read(module: _Module, node: Node) -> None:
    """`process.env.NAME` / `import.meta.env.NAME`: reading a vendor's key variable."""
    obj = node.child_by_field_name("object")
    if obj is None or not _text(obj).endswith(("process.env", "import.meta.env")):
        return
    name = _text(node.child_by_field_name("property"))
    spec = module.catalog.environment.get(name)
    if spec is not None and spec["effect"] == "vendor_key":
        module.findings += env_findings(module.catalog, name, None, module.where(node), "js:env")


def _string_value(module: _Module, node: Node, path: list[str]) -> None:
    value = module.string(node) or ""
    for url in URL.findall(value):
        if local_endpoint(url) is None:
            module.findings += url_findings(module.catalog, url, module.where(node), "js:url")
    key = path[-1].lower() if path else ""
    model_key = key in ID_KEYS or MODEL_PATH.search(key)
    named = path and model_key and any(MODEL_PATH.search(p) for p in path)
    if named and " " not in value and "://" not in value and key not in module.catalog.keys["outputs"]:
        _model(module, node, value, "js:value", None, None)


def _walk(module: _Module, root: Node) -> None:
    stack: list[tuple[Node, list[str], str | None]] = [(root, [], None)]
    while stack:
        node, path, target = stack.pop()
        kind = node.type
        if kind == "comment":
            continue
        if kind == "import_statement":
            _import(
                module, node, module.string(node.child_by_field_name("source")) or "", _import_names(node)
            )
            continue
        if kind in ("call_expression", "new_expression"):
            _call(module, node, target)
        elif kind == "member_expression":
            _env_read(module, node)
        elif kind in ("string", "template_string"):
            _string_value(module, node, path)
            continue
        children = _children_with_context(node, path, target)
        stack.extend(reversed(children))


def _children_with_context(
    node: Node, path: list[str], target: str | None
) -> list[tuple[Node, list[str], str | None]]:
    if node.type == "variable_declarator":
        name = _text(node.child_by_field_name("name"))
        return [(c, [name], name) for c in node.children]
    if node.type == "pair":
        key = _text(node.child_by_field_name("key")).strip("\"'")
        return [(c, [*path, key], None) for c in node.children]
    if node.type == "jsx_attribute":
        return [(c, [*path, _text(node.children[0])], None) for c in node.children[1:]]
    keep = node.type in (
        "array",
        "object",
        "arguments",
        "parenthesized_expression",
        "as_expression",
        "satisfies_expression",
        "export_statement",
        "lexical_declaration",
    )
    return [(c, path if keep else [], target if keep else None) for c in node.children]


def _constants(module: _Module, root: Node) -> None:
    stack = [root]
    while stack:
        node = stack.pop()
        if node.type == "variable_declarator":
            value = module.string(node.child_by_field_name("value"))
            if value is not None:
                module.constants.setdefault(_text(node.child_by_field_name("name")), value)
        elif node.type in ("program", "export_statement", "lexical_declaration", "variable_declaration"):
            stack.extend(node.children)


def scan_js(catalog: Catalog, relative: str, source: bytes, text: str, dialect: str) -> list[Finding]:
    """Findings of one JavaScript/TypeScript file, deduplicated, in line order."""
    tree = _parser(dialect).parse(source)
    module = _Module(catalog, relative, text.splitlines())
    _constants(module, tree.root_node)
    _walk(module, tree.root_node)
    best: dict[tuple[str, int, str], Finding] = {}
    for finding in module.findings:
        best.setdefault((finding.kind, finding.line, finding.subject), finding)
    return sorted(best.values(), key=lambda f: (f.line, f.kind, f.subject))
