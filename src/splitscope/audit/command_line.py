"""Line-based files and command lines: `.env` files, Dockerfiles, shell scripts, and the command strings
of compose files. Variable settings, model-fetching and model-serving commands (`vllm serve X`,
`--model X`, `--model-id X`), and container images of model servers (`FROM vllm/vllm-openai`).

Commented lines never count.
"""

from __future__ import annotations

import re

from splitscope.audit.catalog import Catalog
from splitscope.audit.model import MODEL, PACKAGE, Finding, redact
from splitscope.audit.signals import URL, env_findings, model_name_finding, url_findings

ENV_LINE = re.compile(r"^\s*(?:export\s+|ENV\s+|ARG\s+)?([A-Za-z_][A-Za-z0-9_]*)(?:\s*=\s*|\s+)(.*?)\s*$")
SHELL_FETCH = re.compile(
    r"\b(vllm serve|huggingface-cli download|hf download|ollama (?:pull|run)|modelscope download --model)"
    r"\s+['\"]?([^\s'\",\]]+)"
)
# Words of a command line, also inside a JSON-array form: ["python", "-m", "x", "--model", "org/name"].
COMMAND_WORD = re.compile(r"[^\s\"',\[\]]+")
FROM_LINE = re.compile(r"^\s*FROM\s+(?:--platform=\S+\s+)?(\S+)", re.IGNORECASE)
# Variables whose value is a model name (MODEL_NAME, EMBEDDING_MODEL, LLM_MODEL, CHAT_MODEL_ID).
MODEL_VARIABLE = re.compile(r"(^|_)(MODEL|LLM|EMBEDDING|RERANKER)(_|$)")


def image_finding(catalog: Catalog, image: str, where: tuple[str, int, str], detector: str) -> Finding | None:
    """A container image of a catalogued model server (tag and digest ignored, docker.io implied)."""
    repository = image.split("@", 1)[0].lower()
    if ":" in repository.rsplit("/", 1)[-1]:
        repository = repository.rsplit(":", 1)[0]
    for prefix in ("docker.io/", "index.docker.io/", "library/"):
        repository = repository.removeprefix(prefix)
    package = catalog.images.get(repository)
    if package is None:
        return None
    file, line, evidence = where
    note = f"container image {repository}"
    return Finding(
        PACKAGE, file, line, redact(evidence), package.name, detector, f"package:{package.name}", note
    )


def flag_findings(
    catalog: Catalog, command: str, where: tuple[str, int, str], detector: str
) -> list[Finding]:
    """Models named by server flags in a command line: `--model org/name`, `--model-id=org/name`."""
    flags = catalog.keys["model_flags"]
    words = COMMAND_WORD.findall(command)
    findings = []
    for index, word in enumerate(words):
        flag, _, inline = word.partition("=")
        if flag.lower() not in flags:
            continue
        value = inline or (words[index + 1] if index + 1 < len(words) else "")
        if value and not value.startswith(("-", "$")):
            found = model_name_finding(catalog, value, where, f"{detector}:{flag}", MODEL, named=True)
            if found is not None:
                findings.append(found)
    return findings


def _line_findings(
    catalog: Catalog, stripped: str, where: tuple[str, int, str], detector: str
) -> list[Finding]:
    findings: list[Finding] = []
    match = ENV_LINE.match(stripped)
    if match:
        name, value = match.group(1), match.group(2).strip().strip("'\"")
        findings += env_findings(catalog, name, value, where, detector)
        if MODEL_VARIABLE.search(name.upper()) and name.lower() not in catalog.keys["outputs"]:
            found = model_name_finding(catalog, value, where, detector, MODEL, named=True)
            findings += [found] if found is not None else []
    for url in URL.findall(stripped):
        findings += url_findings(catalog, url, where, detector)
    for fetch in SHELL_FETCH.finditer(stripped):
        found = model_name_finding(catalog, fetch.group(2), where, f"shell:{fetch.group(1)}", named=True)
        findings += [found] if found is not None else []
    if "--" in stripped:
        findings += flag_findings(catalog, stripped, where, "shell")
    image = FROM_LINE.match(stripped)
    if image:
        found = image_finding(catalog, image.group(1), where, "docker:FROM")
        findings += [found] if found is not None else []
    return findings


def scan_env_lines(catalog: Catalog, relative: str, text: str, detector: str) -> list[Finding]:
    """.env files, Dockerfiles and shell scripts, line by line."""
    findings: list[Finding] = []
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            findings += _line_findings(catalog, stripped, (relative, number, line), detector)
    seen: dict[tuple[str, int, str], Finding] = {}
    for finding in findings:
        seen.setdefault((finding.kind, finding.line, finding.subject), finding)
    return sorted(seen.values(), key=lambda f: (f.line, f.kind, f.subject))
