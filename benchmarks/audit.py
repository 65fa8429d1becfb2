"""Audit scan time on a 10,000-file synthetic repository beside `grep -rE` for the same patterns.

baseline   = `grep -rE <every trigger word, host, variable and benchmark pattern> TREE` (the physical
             floor: read every byte once and match; no parsing, no attribution)
splitscope = scan_repository(TREE) in-process (walk, gates, ast/YAML/JSON/TOML parsing, detectors)
ratio      = splitscope / baseline; the issue's target is <= 5.

The tree is generated deterministically: ordinary Python modules, YAML/JSON configs, Markdown, and
about 2% of files that name models, APIs, hubs or benchmarks. After one warm-up pass of each (page
cache), grep and the scan run alternately REPEATS times and the medians are compared: the machine is
shared, and single timings of a few hundred milliseconds vary by +-30%.

Usage: python benchmarks/audit.py [--files 10000] [--keep DIR]
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from splitscope.audit.catalog import load_catalog
from splitscope.audit.python_scan import TRIGGER_WORDS
from splitscope.audit.scan import CONFIG_TRIGGERS, scan_repository

TARGET_RATIO = 5.0
REPEATS = 5

ORDINARY_PY = '''"""Module {n}: request handling."""

import json
import logging

LOGGER = logging.getLogger(__name__)


def handle_{n}(payload):
    data = json.loads(payload)
    total = sum(item["value"] for item in data["items"])
    LOGGER.info("handled %s items", len(data["items"]))
    return {{"total": total, "count": len(data["items"])}}


class Store{n}:
    def __init__(self, path):
        self.path = path
        self.rows = []

    def add(self, row):
        self.rows.append(row)
        return len(self.rows)
'''
AI_PY = """from transformers import AutoModelForCausalLM
from openai import OpenAI

MODEL = "{model}"
client = OpenAI(base_url="https://api.deepseek.com/v1")


def load():
    return AutoModelForCausalLM.from_pretrained(MODEL)
"""
ORDINARY_TS = """import {{ useState }} from "react";

export type Row{n} = {{ id: string; value: number }};

export function total{n}(rows: Row{n}[]): number {{
  return rows.reduce((sum, row) => sum + row.value, 0);
}}

export function useRows{n}() {{
  const [rows, setRows] = useState<Row{n}[]>([]);
  return {{ rows, add: (row: Row{n}) => setRows([...rows, row]) }};
}}
"""
AI_TS = """import OpenAI from "openai";

const client = new OpenAI({{ baseURL: "https://api.deepseek.com", apiKey: process.env.DEEPSEEK_API_KEY }});

export async function ask(prompt: string) {{
  const messages = [{{ role: "user", content: prompt }}];
  return client.chat.completions.create({{ model: "{api_model}", messages }});
}}
"""
ORDINARY_YAML = "service:\n  name: svc-{n}\n  replicas: 3\n  port: 80{n2:02d}\nlogging:\n  level: info\n"
AI_YAML = "model:\n  name_or_path: {model}\neval:\n  tasks: [mmlu, gsm8k]\n"
ORDINARY_JSON = (
    '{{"name": "pkg-{n}", "version": "1.0.{n}", "private": true, "scripts": {{"test": "pytest"}}}}\n'
)
ORDINARY_MD = (
    "# Component {n}\n\nThis component stores rows and reports totals.\n\n- add rows\n- sum values\n"
)
MODELS = [
    "Qwen/Qwen2.5-7B-Instruct",
    "meta-llama/Llama-3.1-8B-Instruct",
    "deepseek-ai/DeepSeek-R1",
    "mistralai/Mistral-7B-Instruct-v0.3",
    "BAAI/bge-base-en-v1.5",
]


def build_tree(root: Path, files: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    for n in range(files):
        folder = root / f"pkg{n // 100:03d}"
        folder.mkdir(parents=True, exist_ok=True)
        roll, model = rng.random(), rng.choice(MODELS)
        ai = rng.random() < 0.02
        if roll < 0.5:
            text = AI_PY.format(model=model) if ai else ORDINARY_PY.format(n=n)
            (folder / f"mod{n}.py").write_text(text)
        elif roll < 0.6:
            api_model = rng.choice(["deepseek-chat", "gpt-4o", "qwen-max"])
            text = AI_TS.format(api_model=api_model) if ai else ORDINARY_TS.format(n=n)
            (folder / f"mod{n}.ts").write_text(text)
        elif roll < 0.75:
            (folder / f"conf{n}.yaml").write_text(
                AI_YAML.format(model=model) if ai else ORDINARY_YAML.format(n=n, n2=n % 100)
            )
        elif roll < 0.85:
            (folder / f"meta{n}.json").write_text(ORDINARY_JSON.format(n=n))
        else:
            (folder / f"README{n}.md").write_text(ORDINARY_MD.format(n=n))


def grep_pattern() -> str:
    """One POSIX ERE with every word, host, variable and benchmark pattern the scan looks for."""
    catalog = load_catalog()
    words = [
        *TRIGGER_WORDS,
        *CONFIG_TRIGGERS,
        *catalog.environment,
        *catalog.api_hosts,
        *{m.split(".")[-1] for m in catalog.import_modules},
        # getattr: the same script also times older versions of the code (PYTHONPATH=<old>/src)
        *getattr(catalog, "providers", {}),
        *getattr(catalog, "npm_packages", {}),
    ]
    escaped = [re.sub(r"([.^$*+?()\[\]{}|\\])", r"\\\1", word) for word in words]
    # Benchmark regexes use (?!...) lookaheads grep -E lacks; their literal gates stand in for them.
    return "|".join(escaped + list(catalog.benchmark_literals))


def time_grep(root: Path, pattern: str) -> float:
    started = time.perf_counter()
    completed = subprocess.run(["grep", "-rEi", pattern, str(root)], capture_output=True, check=False)
    elapsed = time.perf_counter() - started
    if completed.returncode not in (0, 1):
        raise SystemExit(f"grep failed: {completed.stderr.decode()[:200]}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--keep", type=Path, default=None, help="Build the tree here and keep it.")
    args = parser.parse_args()
    root = args.keep or Path(tempfile.mkdtemp(prefix="audit-bench-"))
    try:
        build_tree(root, args.files)
        pattern = grep_pattern()
        load_catalog()  # loaded once per process in real use too
        time_grep(root, pattern)  # warm-up: page cache
        scan_repository(root)
        grep_times, scan_times = [], []
        for _ in range(REPEATS):
            grep_times.append(time_grep(root, pattern))
            started = time.perf_counter()
            result = scan_repository(root)
            scan_times.append(time.perf_counter() - started)
        baseline, splitscope = statistics.median(grep_times), statistics.median(scan_times)
    finally:
        if args.keep is None:
            shutil.rmtree(root, ignore_errors=True)
    ratio = splitscope / baseline
    print(
        f"tree: {args.files} files, {result.files_seen} seen, {result.files_read} read, "
        f"{len(result.findings)} findings, {len(result.skipped)} skipped"
    )
    print(f"baseline (grep -rEi, same patterns): {baseline:.3f} s (median of {REPEATS})")
    print(f"splitscope scan_repository:          {splitscope:.3f} s (median of {REPEATS})")
    print(
        f"ratio: {ratio:.2f}x (target <= {TARGET_RATIO:.0f}x) -> {'OK' if ratio <= TARGET_RATIO else 'OVER'}"
    )


if __name__ == "__main__":
    main()
