"""What a scan produces: findings (one piece of evidence each) and skipped paths (with the reason)."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any

# Finding kinds. A finding is one place in one file that ties the codebase to something.
MODEL = "model"  # model weights by id (hub id, local path, Ollama tag, GGUF file)
DATASET = "dataset"  # a dataset by id
API = "api"  # a hosted model API: client base URL, vendor SDK import, API model name, API key variable
HUB = "hub"  # a model-hub redirection (HF_ENDPOINT, VLLM_USE_MODELSCOPE)
PACKAGE = "package"  # a dependency declared in a dependency or lock file
BENCHMARK = "benchmark"  # an evaluation benchmark named in code or configuration
# A self-hosted model server (local or private address): where models are served, not whose API is used.
SERVING = "serving"
KINDS = (MODEL, DATASET, API, HUB, PACKAGE, BENCHMARK, SERVING)


@dataclass(frozen=True)
class Finding:
    kind: str
    file: str  # relative to the scanned root, forward slashes
    line: int  # 1-based; 0 for whole-file evidence (a GGUF file)
    evidence: str  # the source line (secrets redacted), stripped
    subject: str  # what is named: a model id, host, package, benchmark; "" when unresolved
    detector: str  # which detection path found it, e.g. "python:from_pretrained"
    hint: str = ""  # what attribution looks up: hub:<org> host:<host> org:<id> package:<name> name:<name>
    note: str = ""  # e.g. "unresolved expression args.model", "local path"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Skipped:
    path: str
    reason: str


@dataclass
class ScanResult:
    root: str
    findings: list[Finding] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    files_seen: int = 0
    files_read: int = 0
    # Source files of languages the audit does not analyse, by language: never counted as read.
    not_analysed: dict[str, int] = field(default_factory=dict)
    result_lines: list[tuple[str, int, str]] = field(
        default_factory=list
    )  # (file, line, text) for eval parity


# The name must end with the secret word: "tokenizer" or "secret_santa_model" are not secrets.
_SECRET_NAME = r"\w*(?:api[_-]?key|secret|token|password|passwd|_ak|_sk|access[_-]?key)(?![A-Za-z])"
_SECRET_QUOTED = re.compile(rf"(?i)({_SECRET_NAME}['\"]?\s*[:=]\s*)(['\"])[^'\"]+(['\"])")
_SECRET_UNQUOTED = re.compile(rf"(?i)^(\s*(?:export\s+|ENV\s+)?{_SECRET_NAME}\s*[=:\s]\s*)([^'\"\s]\S*)")
_SECRET_WORDS = ("key", "secret", "token", "passw", "_ak", "_sk")
_SECRET_LITERAL = re.compile(r"\b(sk-[A-Za-z0-9_-]{8,}|hf_[A-Za-z0-9]{16,})")
MAX_EVIDENCE = 200


def redact(text: str) -> str:
    """Evidence is shown and exported: keys and tokens in it are replaced by ***."""
    text = text[: 8 * MAX_EVIDENCE]  # a minified file is one huge line: only its start is shown
    lowered = text.lower()
    if any(word in lowered for word in _SECRET_WORDS):  # the regular expressions are slow: gate them
        text = _SECRET_QUOTED.sub(r"\1\2***\3", text)
        text = _SECRET_UNQUOTED.sub(r"\1***", text)
    if "sk-" in text or "hf_" in text:
        text = _SECRET_LITERAL.sub("***", text)
    text = text.strip()
    return text if len(text) <= MAX_EVIDENCE else text[: MAX_EVIDENCE - 1] + "…"
