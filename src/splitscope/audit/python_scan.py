"""Python detectors, on the syntax tree only (comments never count; nothing is executed)."""

from __future__ import annotations

import ast
from collections.abc import Callable

from splitscope.audit.catalog import Catalog
from splitscope.audit.model import API, BENCHMARK, DATASET, HUB, MODEL, Finding, redact
from splitscope.audit.python_values import ModuleFacts, Value, module_facts
from splitscope.audit.signals import URL, env_findings, model_name_finding, url_findings

# Dataset builders that read local files, not a published dataset.
LOCAL_BUILDERS = {
    "json",
    "csv",
    "parquet",
    "text",
    "arrow",
    "pandas",
    "sql",
    "generator",
    "imagefolder",
    "audiofolder",
    "videofolder",
    "webdataset",
    "xml",
}
OPENAI_CLIENTS = {
    "OpenAI",
    "AsyncOpenAI",
    "AzureOpenAI",
    "AsyncAzureOpenAI",
    "ChatOpenAI",
    "OpenAIEmbeddings",
}
BASE_URL_KEYWORDS = ("base_url", "api_base", "openai_api_base", "azure_endpoint", "endpoint")
API_CALL_NAMES = {"create", "call", "acreate", "completion", "acompletion"}
OLLAMA_CALLS = {"chat", "generate", "pull", "embed", "embeddings", "show", "push"}
ENGINE_CLASSES = {"LLM", "EngineArgs", "AsyncEngineArgs", "AsyncLLMEngine"}
# Substrings one of which must occur in a file for any detector below to fire: the scan parses only
# such files. Hosts, environment variables and SDK module names are added from the catalog (scan.py).
TRIGGER_WORDS = [
    "from_pretrained",
    "model=",
    "model =",
    "hf_hub_download",
    "snapshot_download",
    "load_dataset",
    "MsDataset",
    "SentenceTransformer",
    "CrossEncoder",
    "vllm",
    "llama_cpp",
    "ollama",
    "OpenAI",
    "base_url",
    "api_base",
]


class _Scanner:
    def __init__(self, catalog: Catalog, relative: str, lines: list[str], facts: ModuleFacts) -> None:
        self.catalog, self.relative, self.lines, self.facts = catalog, relative, lines, facts
        self.findings: list[Finding] = []

    def where(self, node: ast.AST) -> tuple[str, int, str]:
        line = getattr(node, "lineno", 0)
        text = self.lines[line - 1] if 0 < line <= len(self.lines) else ""
        return self.relative, line, text

    def add(self, kind: str, node: ast.AST, value: Value | None, detector: str, hint: str = "") -> None:
        file, line, text = self.where(node)
        if value is None:
            note = (
                f"unresolved expression {ast.unparse(node)}" if isinstance(node, ast.expr) else "unresolved"
            )
            self.findings.append(Finding(kind, file, line, redact(text), "", detector, hint, note))
            return
        note = "; ".join(n for n in (value.origin, "partly dynamic" if value.partial else "") if n)
        if hint:
            self.findings.append(Finding(kind, file, line, redact(text), value.text, detector, hint, note))
            return
        found = model_name_finding(self.catalog, value.text, (file, line, text), detector, kind)
        subject_hint = found.hint if found else ""
        base_note = found.note if found else ""
        self.findings.append(
            Finding(
                kind,
                file,
                line,
                redact(text),
                value.text,
                detector,
                subject_hint,
                "; ".join(n for n in (base_note, note) if n),
            )
        )

    def add_named(self, kind: str, node: ast.expr | None, call: ast.Call, detector: str) -> None:
        """A model/dataset named by argument `node`: one finding per possible value, or one unresolved."""
        if node is None:
            return
        values = self.facts.resolve(node)
        if not values:
            self.add(kind, node, None, detector)
        for value in values:
            self.add(kind, node, value, detector)


def _arg(call: ast.Call, position: int | None, *keywords: str) -> ast.expr | None:
    for keyword in call.keywords:
        if keyword.arg in keywords:
            return keyword.value
    if (
        position is not None
        and len(call.args) > position
        and not isinstance(call.args[position], ast.Starred)
    ):
        return call.args[position]
    return None


def _keyword_text(scanner: _Scanner, call: ast.Call, name: str) -> str | None:
    values = scanner.facts.resolve(_arg(call, None, name))
    return values[0].text if values else None


def _detect_hub_loads(s: _Scanner, call: ast.Call, qualified: str, name: str) -> bool:
    hub = "modelscope" if qualified.startswith("modelscope.") else ""
    if name == "from_pretrained":
        receiver = qualified.rsplit(".", 1)[0]
        detector = (
            "python:llama_cpp.from_pretrained"
            if receiver.startswith("llama_cpp")
            else "python:from_pretrained"
        )
        s.add_named(
            MODEL,
            _arg(
                call,
                0,
                "pretrained_model_name_or_path",
                "repo_id",
                "model_id",
                "model_name_or_path",
                "model_name",
            ),
            call,
            hub and "python:modelscope" or detector,
        )
    elif name == "pipeline":
        s.add_named(MODEL, _arg(call, None, "model"), call, "python:pipeline")
    elif name in ("hf_hub_download", "snapshot_download", "model_file_download"):
        kind = DATASET if _keyword_text(s, call, "repo_type") == "dataset" else MODEL
        source = "modelscope" if hub else "huggingface_hub"
        s.add_named(kind, _arg(call, 0, "repo_id", "model_id"), call, f"python:{source}.{name}")
    elif name == "load_dataset" or qualified.endswith("MsDataset.load"):
        node = _arg(call, 0, "path", "dataset_name")
        values = s.facts.resolve(node)
        if values and all(v.text in LOCAL_BUILDERS for v in values):
            return True
        s.add_named(
            DATASET,
            node,
            call,
            "python:modelscope.MsDataset.load" if "MsDataset" in qualified else "python:load_dataset",
        )
    elif name in ("SentenceTransformer", "CrossEncoder"):
        s.add_named(MODEL, _arg(call, 0, "model_name_or_path", "model_name"), call, f"python:{name}")
    else:
        return False
    return True


def _detect_engines(s: _Scanner, call: ast.Call, qualified: str, name: str) -> bool:
    if name in ENGINE_CLASSES and qualified.startswith("vllm"):
        s.add_named(MODEL, _arg(call, 0, "model"), call, f"python:vllm.{name}")
    elif qualified == "llama_cpp.Llama":
        s.add_named(MODEL, _arg(call, 0, "model_path"), call, "python:llama_cpp.Llama")
    elif qualified.startswith("ollama.") and name in OLLAMA_CALLS:
        s.add_named(MODEL, _arg(call, 0, "model"), call, f"python:ollama.{name}")
    else:
        return False
    return True


def _detect_api_clients(s: _Scanner, call: ast.Call, qualified: str, name: str) -> bool:
    if name in OPENAI_CLIENTS:
        node = _arg(call, None, *BASE_URL_KEYWORDS)
        detector = f"python:{name}"
        if node is None:
            azure = "Azure" in name
            default = "openai.azure.com" if azure else "api.openai.com"
            variable = "AZURE_OPENAI_ENDPOINT" if azure else "OPENAI_BASE_URL"
            s.findings.append(
                Finding(
                    API,
                    *_where_redacted(s, call),
                    default,
                    detector,
                    f"host:{default}",
                    f"default base URL ({variable} can override it)",
                )
            )
            return True
        values = s.facts.resolve(node)
        if not values:
            s.add(API, node, None, detector)
        for value in values:
            found = url_findings(s.catalog, value.text, s.where(node), detector)
            s.findings.extend(
                found
                or [
                    Finding(
                        API,
                        *_where_redacted(s, node),
                        value.text,
                        detector,
                        "",
                        "base URL of an unlisted host",
                    )
                ]
            )
        return True
    if name in API_CALL_NAMES and call.keywords and not qualified.startswith("ollama."):
        model_node = _arg(call, None, "model")
        if model_node is None:
            return False
        for value in s.facts.resolve(model_node):
            named = model_name_finding(s.catalog, value.text, s.where(model_node), "python:api_model", API)
            if named is not None:
                s.findings.append(named)
        return True
    return False


def _where_redacted(s: _Scanner, node: ast.AST) -> tuple[str, int, str]:
    file, line, text = s.where(node)
    return file, line, redact(text)


def _detect_environment(s: _Scanner, call: ast.Call, qualified: str, name: str) -> bool:
    if qualified in ("os.environ.setdefault", "os.putenv") and len(call.args) >= 2:
        names = s.facts.resolve(call.args[0])
        values = s.facts.resolve(call.args[1])
        for env_name in names:
            s.findings.extend(
                env_findings(
                    s.catalog,
                    env_name.text,
                    values[0].text if values else None,
                    s.where(call),
                    f"python:{qualified}",
                )
            )
        return True
    if qualified == "os.environ.update" and call.args and isinstance(call.args[0], ast.Dict):
        for key, value in zip(call.args[0].keys, call.args[0].values, strict=True):
            for env_name in s.facts.resolve(key):
                resolved = s.facts.resolve(value)
                s.findings.extend(
                    env_findings(
                        s.catalog,
                        env_name.text,
                        resolved[0].text if resolved else None,
                        s.where(value),
                        "python:os.environ.update",
                    )
                )
        return True
    return False


CALL_DETECTORS: list[Callable[[_Scanner, ast.Call, str, str], bool]] = [
    _detect_hub_loads,
    _detect_engines,
    _detect_api_clients,
    _detect_environment,
]


def _scan_call(s: _Scanner, call: ast.Call) -> None:
    qualified = s.facts.qualified(call.func)
    if qualified:
        name = qualified.rsplit(".", 1)[-1]
    else:  # a call on a call's result, e.g. ZhipuAI().chat.completions.create(...)
        name = call.func.attr if isinstance(call.func, ast.Attribute) else ""
    for detector in CALL_DETECTORS:
        if detector(s, call, qualified, name):
            return


def _scan_assignment(s: _Scanner, node: ast.Assign) -> None:
    for target in node.targets:
        if isinstance(target, ast.Subscript) and s.facts.qualified(target.value) == "os.environ":
            values = s.facts.resolve(node.value)
            for env_name in s.facts.resolve(target.slice):
                s.findings.extend(
                    env_findings(
                        s.catalog,
                        env_name.text,
                        values[0].text if values else None,
                        s.where(node),
                        "python:os.environ",
                    )
                )
        elif isinstance(target, ast.Attribute) and s.facts.qualified(target) in (
            "openai.base_url",
            "openai.api_base",
        ):
            for value in s.facts.resolve(node.value):
                s.findings.extend(
                    url_findings(s.catalog, value.text, s.where(node), "python:openai.base_url")
                )


def _scan_import(s: _Scanner, node: ast.Import | ast.ImportFrom) -> None:
    modules = (
        [a.name for a in node.names]
        if isinstance(node, ast.Import)
        else (
            [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            if node.module and node.level == 0
            else []
        )
    )
    for module in modules:
        package = s.catalog.import_modules.get(module) or s.catalog.import_modules.get(module.split(".")[0])
        if package is None or package.role == "framework":
            continue
        kind = API if package.role == "api_sdk" else HUB
        file, line, text = s.where(node)
        s.findings.append(
            Finding(kind, file, line, redact(text), package.name, "python:import", f"package:{package.name}")
        )
        return


def _scan_string(s: _Scanner, node: ast.Constant) -> None:
    text = str(node.value)
    if id(node) in s.facts.docstring_ids or len(text) > 300:
        return
    for match in URL.finditer(text):
        s.findings.extend(url_findings(s.catalog, match.group(0), s.where(node), "python:url"))
    if not s.catalog.names_benchmark(text):
        return
    for benchmark, pattern in s.catalog.benchmarks:
        if pattern.search(text):
            s.findings.append(Finding(BENCHMARK, *_where_redacted(s, node), benchmark, "python:string"))


def scan_python(catalog: Catalog, relative: str, source: str, tree: ast.Module) -> list[Finding]:
    """Findings in one parsed Python file, deduplicated, in line order."""
    nodes = list(ast.walk(tree))
    scanner = _Scanner(catalog, relative, source.splitlines(), module_facts(nodes))
    for node in nodes:
        if isinstance(node, ast.Call):
            _scan_call(scanner, node)
        elif isinstance(node, ast.Assign):
            _scan_assignment(scanner, node)
        elif isinstance(node, ast.Import | ast.ImportFrom):
            _scan_import(scanner, node)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            _scan_string(scanner, node)
    return _deduplicate(scanner.findings)


def _deduplicate(findings: list[Finding]) -> list[Finding]:
    """One finding per (kind, file, line, subject): a base_url keyword is also a URL string, for instance."""
    best: dict[tuple[str, str, int, str], Finding] = {}
    for finding in findings:
        key = (finding.kind, finding.file, finding.line, finding.subject)
        if key not in best or best[key].detector == "python:url":
            best[key] = finding
    return sorted(best.values(), key=lambda f: (f.line, f.kind, f.subject))
