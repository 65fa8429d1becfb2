"""Large and awkward files: located in one pass, non-ASCII values, top-level lists, a time budget.

Timing is measured by benchmarks/audit_large.py; these tests check the results on generated files and
that the budget stops a file and lists it (with the findings made before the deadline kept)."""

from __future__ import annotations

import json
from pathlib import Path

from splitscope.audit import scan as scan_module
from splitscope.audit.scan import scan_repository


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_non_ascii_values_are_located_on_their_own_line(tmp_path: Path):
    rows = [{"instruction": "写一首诗" * 20, "model": "deepseek-ai/DeepSeek-V3"} for _ in range(3000)]
    rows[-1]["model"] = "Qwen/Qwen2.5-72B-Instruct"
    _write(tmp_path / "data.json", json.dumps(rows, ensure_ascii=False, indent=1))
    result = scan_repository(tmp_path)
    last = [f for f in result.findings if f.subject == "Qwen/Qwen2.5-72B-Instruct"]
    # indent=1: "[", then 4 lines per row; the last row's "model" line is 3 lines into the row.
    assert [(f.line, f.evidence) for f in last] == [(4 * 2999 + 4, '"model": "Qwen/Qwen2.5-72B-Instruct"')]
    assert len([f for f in result.findings if f.subject == "deepseek-ai/DeepSeek-V3"]) == 2999


def test_escaped_json_strings_are_located_too(tmp_path: Path):
    text = '{"note": "\\u4e2d\\u6587", "model_name_or_path": "THUDM/glm-4-9b-chat"}\n'
    _write(tmp_path / "cfg.json", '{\n  "a": "\\u4e2d",\n' + text[1:].replace(", ", ",\n  "))
    findings = scan_repository(tmp_path).findings
    assert [(f.subject, f.line) for f in findings] == [("THUDM/glm-4-9b-chat", 4)]


def test_top_level_lists_parse(tmp_path: Path):
    _write(tmp_path / "labels.json", json.dumps(["model=a", "positive", "qwen"]))
    _write(tmp_path / "names.yaml", "- llama\n- model\n")
    result = scan_repository(tmp_path)
    assert result.skipped == [] and result.findings == [] and result.files_read == 2


def test_tokenizer_vocabulary_and_merges_are_data(tmp_path: Path):
    vocab = {f"qwen{i}": i for i in range(5000)} | {"llama-3": 5000}
    merges = [f"deepseek {i}" for i in range(5000)] + ["glm-4"]
    tokenizer = {"model": {"type": "BPE", "vocab": vocab, "merges": merges}, "added_tokens": []}
    _write(tmp_path / "exported_tokenizer.json", json.dumps(tokenizer))  # read: opaque keys skipped
    _write(tmp_path / "tokenizer.json", json.dumps(tokenizer))  # model data by name: never opened
    result = scan_repository(tmp_path)
    assert result.findings == [] and result.skipped == []
    assert (result.files_seen, result.files_read) == (2, 1)


def test_time_budget_lists_the_file_and_keeps_findings(tmp_path: Path, monkeypatch):
    rows = [{"model": "Qwen/Qwen2.5-7B-Instruct", "text": f"row {i}"} for i in range(50_000)]
    _write(tmp_path / "big.json", json.dumps(rows))
    monkeypatch.setattr(scan_module, "FILE_BUDGET_S", 0.0)
    result = scan_repository(tmp_path)
    assert [s.path for s in result.skipped] == ["big.json"]
    reason = result.skipped[0].reason
    assert reason.startswith("time budget of 0 s exceeded: partly read, ")
    kept = int(reason.split("partly read, ")[1].split(" ")[0])
    assert 0 < kept < 50_000 and len(result.findings) == kept


def test_npm_lockfile_with_thousands_of_packages(tmp_path: Path):
    names = [f"pkg-{i}" for i in range(3000)]
    packages = {f"node_modules/{n}": {"version": "1.0.0"} for n in names}
    packages["node_modules/openai"] = {"version": "4.0.0"}
    packages["node_modules/a/node_modules/@anthropic-ai/sdk"] = {"version": "0.3.0"}
    _write(tmp_path / "package-lock.json", json.dumps({"lockfileVersion": 3, "packages": packages}, indent=2))
    findings = scan_repository(tmp_path).findings
    assert [(f.subject, f.line) for f in findings] == [
        ("openai", 3 + 3 * 3000 + 1),
        ("@anthropic-ai/sdk", 3 + 3 * 3001 + 1),
    ]
