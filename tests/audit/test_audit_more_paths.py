"""The detection paths the main fixture does not reach: Dockerfile ENV and RUN, os.environ.update,
os.putenv, a parameter default, a conditional expression, an environment lookup's default, CrossEncoder,
MsDataset.load, AzureOpenAI, ChatOpenAI's base URL, Pipfile, Pipfile.lock, uv.lock, requirements *.in.
"""

from __future__ import annotations

from pathlib import Path

from splitscope.audit.scan import scan_repository

FIXTURE = Path(__file__).parent / "fixtures" / "more_paths"

EXPECTED = [
    ("hub", "Dockerfile", 3, "hf-mirror.com", "shell", "HF_ENDPOINT redirect"),
    ("model", "Dockerfile", 4, "Qwen/Qwen3-8B", "shell:modelscope download --model", ""),
    ("package", "Pipfile", 2, "dashscope", "deps:pipfile", "api_sdk"),
    ("package", "Pipfile.lock", 4, "zhipuai", "deps:pipfile-lock", "api_sdk"),
    ("api", "app.py", 3, "langchain-openai", "python:import", ""),  # langchain-openai is catalogued now
    ("hub", "app.py", 4, "modelscope", "python:import", ""),
    ("api", "app.py", 5, "openai", "python:import", ""),
    ("hub", "app.py", 9, "hf-mirror.com", "python:os.environ.update", "HF_ENDPOINT redirect"),
    ("hub", "app.py", 10, "USE_MODELSCOPE_HUB=1", "python:os.putenv", ""),
    ("model", "app.py", 11, "Qwen/Qwen3-8B", "python:assignment", ""),
    (
        "model",
        "app.py",
        15,
        "BAAI/bge-reranker-base",
        "python:CrossEncoder",
        "name = 'BAAI/bge-reranker-base' (line 14)",
    ),
    (
        "model",
        "app.py",
        17,
        "mistralai/Mixtral-8x7B-Instruct-v0.1",
        "python:CrossEncoder",
        "chosen = 'mistralai/Mixtral-8x7B-Instruct-v0.1' (line 16)",
    ),
    (
        "model",
        "app.py",
        17,
        "tiiuae/falcon-7b-instruct",
        "python:CrossEncoder",
        "chosen = 'tiiuae/falcon-7b-instruct' (line 16)",
    ),
    (
        "api",
        "app.py",
        20,
        "openai.azure.com",
        "python:AzureOpenAI",
        "default base URL (AZURE_OPENAI_ENDPOINT can override it)",
    ),
    ("api", "app.py", 21, "api.stepfun.com", "python:ChatOpenAI", ""),
    ("api", "app.py", 21, "step-1-8k", "python:ChatOpenAI", ""),  # the model ChatOpenAI names
    ("dataset", "app.py", 22, "modelscope/chinese-poetry-collection", "python:modelscope.MsDataset.load", ""),
    ("model", "app.py", 23, "Qwen/Qwen3-8B", "python:from_pretrained", "default of an environment lookup"),
    ("package", "requirements-dev.in", 2, "google-genai", "deps:requirements", "api_sdk"),
    ("package", "uv.lock", 4, "mistralai", "deps:lock", "api_sdk"),
    ("package", "uv.lock", 8, "sentence-transformers", "deps:lock", "framework"),
]


def test_exact_findings_on_the_second_fixture():
    result = scan_repository(FIXTURE)
    found = [(f.kind, f.file, f.line, f.subject, f.detector, f.note) for f in result.findings]
    assert found == EXPECTED
    assert result.skipped == []
    assert (result.files_seen, result.files_read) == (6, 6)
    # The commented-out ENV line in the Dockerfile names example.invalid: it must not count.
    assert not any("example.invalid" in f.evidence for f in result.findings)
