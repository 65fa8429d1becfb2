"""Recall and precision of the audit on the pattern fixtures, per pattern.

Each fixture in tests/audit/fixtures/<name> imitates one shape of public repository the audit missed
or misread (issue 19); tests/audit/expected/<name>.yaml lists its real dependencies by hand as
[kind, subject, jurisdiction]. A found dependency counts as correct only when kind, subject and
jurisdiction all match; anything else found is a false finding. Self-hosted endpoints (kind
"serving") are not counted either way: they are asserted in the tests.

Runs `run_audit` in-process; to measure another version of the code, point PYTHONPATH at its `src`.

Usage: python benchmarks/audit_recall.py [--show-misses]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import yaml

from splitscope.audit.report import run_audit

TESTS = Path(__file__).resolve().parent.parent / "tests" / "audit"
FIXTURES = ("ts_chat_app", "langchain_cn", "vllm_local", "yaml_recipe", "large_json")
NOT_COUNTED = {"serving"}


def measure(name: str) -> tuple[str, set[tuple[str, str, str]], set[tuple[str, str, str]]]:
    expected_doc = yaml.safe_load((TESTS / "expected" / f"{name}.yaml").read_text(encoding="utf-8"))
    expected = {tuple(str(part) for part in row) for row in expected_doc["dependencies"]}
    document = run_audit(TESTS / "fixtures" / name).document
    found = {
        (dep["kind"], dep["subject"], dep["jurisdiction"])
        for dep in document["dependencies"]
        if dep["kind"] not in NOT_COUNTED
    }
    return expected_doc["pattern"], expected, found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show-misses", action="store_true")
    args = parser.parse_args()
    totals = [0, 0, 0]
    print(f"{'fixture':14s} {'expected':>8s} {'found':>6s} {'correct':>7s} {'recall':>7s} {'precision':>9s}")
    for name in FIXTURES:
        pattern, expected, found = measure(name)
        correct = expected & found
        recall = len(correct) / len(expected) if expected else 1.0
        precision = len(correct) / len(found) if found else 1.0
        totals = [totals[0] + len(expected), totals[1] + len(found), totals[2] + len(correct)]
        print(
            f"{name:14s} {len(expected):8d} {len(found):6d} {len(correct):7d} {recall:7.0%} {precision:9.0%}"
            f"   {pattern}"
        )
        if args.show_misses:
            for row in sorted(expected - found):
                print(f"    missed: {row}")
            for row in sorted(found - expected):
                print(f"    false:  {row}")
    expected_n, found_n, correct_n = totals
    print(
        f"{'all':14s} {expected_n:8d} {found_n:6d} {correct_n:7d} {correct_n / expected_n:7.0%} "
        f"{correct_n / found_n if found_n else 1:9.0%}"
    )


if __name__ == "__main__":
    main()
