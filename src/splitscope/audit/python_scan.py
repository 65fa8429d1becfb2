"""Python detectors, on the syntax tree only (comments never count; nothing is executed)."""

from __future__ import annotations

import ast
from collections.abc import Callable

from splitscope.audit.catalog import Catalog
from splitscope.audit.model import API, BENCHMARK, DATASET, HUB, MODEL, Finding, redact
from splitscope.audit.python_clients import (
    Clients,
    detect_api_call,
    detect_dict_literal,
    detect_model_assignment,
    detect_named_keywords,
    detect_provider,
    detect_setup,
)
from splitscope.audit.python_scanner import Scanner, arg, keyword_text, where_redacted
from splitscope.audit.python_values import module_facts
from splitscope.audit.signals import URL, env_findings, url_findings

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


def _detect_hub_loads(s: Scanner, call: ast.Call, qualified: str, name: str) -> bool:
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
            arg(
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
        s.add_named(MODEL, arg(call, None, "model"), call, "python:pipeline")
    elif name in ("hf_hub_download", "snapshot_download", "model_file_download"):
        kind = DATASET if keyword_text(s, call, "repo_type") == "dataset" else MODEL
        source = "modelscope" if hub else "huggingface_hub"
        s.add_named(kind, arg(call, 0, "repo_id", "model_id"), call, f"python:{source}.{name}")
    elif name == "load_dataset" or qualified.endswith("MsDataset.load"):
        node = arg(call, 0, "path", "dataset_name")
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
        s.add_named(MODEL, arg(call, 0, "model_name_or_path", "model_name"), call, f"python:{name}")
    else:
        return False
    return True


def _detect_engines(s: Scanner, call: ast.Call, qualified: str, name: str) -> bool:
    if name in ENGINE_CLASSES and qualified.startswith("vllm"):
        s.add_named(MODEL, arg(call, 0, "model"), call, f"python:vllm.{name}")
    elif qualified == "llama_cpp.Llama":
        s.add_named(MODEL, arg(call, 0, "model_path"), call, "python:llama_cpp.Llama")
    elif qualified.startswith("ollama.") and name in OLLAMA_CALLS:
        s.add_named(MODEL, arg(call, 0, "model"), call, f"python:ollama.{name}")
    else:
        return False
    return True


def _detect_key_read(s: Scanner, node: ast.expr, qualified: str) -> bool:
    """`os.environ["DEEPSEEK_API_KEY"]`, `os.getenv(...)`, `os.environ.get(...)`: reading a vendor's key
    variable ties the code to that vendor's API (other variables are only counted where they are set)."""
    for env_name in s.facts.resolve(node):
        spec = s.catalog.environment.get(env_name.text)
        if spec is not None and spec["effect"] == "vendor_key":
            s.findings.extend(
                env_findings(s.catalog, env_name.text, None, s.where(node), f"python:{qualified}")
            )
    return True


def _is_environ_read(s: Scanner, node: ast.AST) -> bool:
    return (
        isinstance(node, ast.Subscript)
        and isinstance(node.ctx, ast.Load)
        and s.facts.qualified(node.value) == "os.environ"
    )


def _detect_environment(s: Scanner, call: ast.Call, qualified: str, name: str) -> bool:
    if qualified in ("os.getenv", "os.environ.get") and call.args:
        _detect_key_read(s, call.args[0], qualified)
        return False  # the default may still name a model (handled by the keyword detectors)
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


CALL_DETECTORS: list[Callable[[Scanner, ast.Call, str, str], bool]] = [
    _detect_hub_loads,
    _detect_engines,
    _detect_environment,
]


def _call_names(s: Scanner, call: ast.Call) -> tuple[str, str]:
    qualified = s.facts.qualified(call.func)
    if qualified:
        return qualified, qualified.rsplit(".", 1)[-1]
    # a call on a call's result, e.g. ZhipuAI().chat.completions.create(...)
    return "", call.func.attr if isinstance(call.func, ast.Attribute) else ""


def _scan_call(s: Scanner, call: ast.Call, clients: Clients, targets: dict[int, str]) -> None:
    qualified, name = _call_names(s, call)
    if detect_setup(s, call, qualified) or detect_provider(
        s, call, qualified, clients, targets.get(id(call))
    ):
        return
    for detector in CALL_DETECTORS:
        if detector(s, call, qualified, name):
            return
    if not detect_api_call(s, call, qualified, name, clients):
        detect_named_keywords(s, call)


def _scan_assignment(s: Scanner, node: ast.Assign | ast.AnnAssign) -> None:
    targets = node.targets if isinstance(node, ast.Assign) else [node.target]
    if node.value is None:
        return
    for target in targets:
        detect_model_assignment(s, target, node.value)
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


def _scan_import(s: Scanner, node: ast.Import | ast.ImportFrom) -> None:
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


def _scan_string(s: Scanner, node: ast.Constant) -> None:
    text = str(node.value)
    if id(node) in s.facts.docstring_ids or len(text) > 300:
        return
    for match in URL.finditer(text):
        s.findings.extend(url_findings(s.catalog, match.group(0), s.where(node), "python:url"))
    if not s.catalog.names_benchmark(text):
        return
    for benchmark, pattern in s.catalog.benchmarks:
        if pattern.search(text):
            s.findings.append(Finding(BENCHMARK, *where_redacted(s, node), benchmark, "python:string"))


def _call_targets(nodes: list[ast.AST]) -> dict[int, str]:
    """id(call) -> the name a client object is bound to: `local = OpenAI(base_url=...)`."""
    targets: dict[int, str] = {}
    for node in nodes:
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call) and len(node.targets) == 1:
            target = node.targets[0]
            if isinstance(target, ast.Name | ast.Attribute):
                targets[id(node.value)] = ast.unparse(target)
    return targets


def _drop_local_sdk_imports(s: Scanner, clients: Clients) -> None:
    """An SDK imported only to talk to self-hosted servers is not a hosted-API dependency."""
    if not clients.local_modules:
        return
    local_only = clients.local_modules - clients.hosted_modules

    def used_locally_only(finding: Finding) -> bool:
        package = s.catalog.import_modules.get(finding.subject) or next(
            (p for p in s.catalog.import_modules.values() if p.name == finding.subject), None
        )
        return (
            package is not None
            and any(m.startswith(tuple(package.imports)) for m in local_only)
            and not any(m.startswith(tuple(package.imports)) for m in clients.hosted_modules)
        )

    s.findings = [f for f in s.findings if not (f.detector == "python:import" and used_locally_only(f))]


def scan_python(catalog: Catalog, relative: str, source: str, tree: ast.Module) -> list[Finding]:
    """Findings in one parsed Python file, deduplicated, in line order."""
    nodes = list(ast.walk(tree))
    scanner = Scanner(catalog, relative, source.splitlines(), module_facts(nodes))
    clients, targets = Clients(), _call_targets(nodes)
    calls = [node for node in nodes if isinstance(node, ast.Call)]
    # Client constructors first, wherever they are: API calls further up the file need their context.
    calls.sort(key=lambda call: catalog.provider(scanner.facts.qualified(call.func)) is None)
    for call in calls:
        _scan_call(scanner, call, clients, targets)
    for node in nodes:
        if isinstance(node, ast.Assign | ast.AnnAssign):
            _scan_assignment(scanner, node)
        elif isinstance(node, ast.Import | ast.ImportFrom):
            _scan_import(scanner, node)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            _scan_string(scanner, node)
        elif isinstance(node, ast.Dict):
            detect_dict_literal(scanner, node)
        elif _is_environ_read(scanner, node):
            _detect_key_read(scanner, node.slice, "os.environ")  # type: ignore[attr-defined]
    _drop_local_sdk_imports(scanner, clients)
    return _deduplicate(scanner.findings)


def _deduplicate(findings: list[Finding]) -> list[Finding]:
    """One finding per (kind, file, line, subject): a base_url keyword is also a URL string, for instance."""
    best: dict[tuple[str, str, int, str], Finding] = {}
    for finding in findings:
        key = (finding.kind, finding.file, finding.line, finding.subject)
        if key not in best or best[key].detector == "python:url":
            best[key] = finding
    return sorted(best.values(), key=lambda f: (f.line, f.kind, f.subject))
