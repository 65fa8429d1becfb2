"""Every detection path on a hand-written fixture repository, with the exact findings expected.

tests/audit/fixtures/stack_repo holds the tricky cases on purpose: a model id in a variable and in an
f-string, an unresolved expression, a docstring and commented-out code that must not count, config files,
a .env with secrets that must never be shown, and a vendored site-packages tree that must be skipped.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from splitscope.audit.scan import scan_repository

FIXTURE = Path(__file__).parent / "fixtures" / "stack_repo"

EXPECTED = [
    ("api", ".env", 2, "DEEPSEEK_API_KEY", "env", "DEEPSEEK_API_KEY=***"),
    ("api", ".env", 3, "DASHSCOPE_API_KEY", "env", 'DASHSCOPE_API_KEY="***"'),
    ("api", "app/clients.py", 1, "openai", "python:import", "import openai"),
    ("api", "app/clients.py", 2, "qianfan", "python:import", "import qianfan"),
    ("api", "app/clients.py", 3, "openai", "python:import", "from openai import AsyncOpenAI, OpenAI"),
    (
        "api",
        "app/clients.py",
        4,
        "volcengine-python-sdk",
        "python:import",
        "from volcenginesdkarkruntime import Ark",
    ),
    ("api", "app/clients.py", 5, "zhipuai", "python:import", "from zhipuai import ZhipuAI"),
    (
        "api",
        "app/clients.py",
        7,
        "dashscope.aliyuncs.com",
        "python:url",
        'DASHSCOPE_BASE = "https://dashscope.aliyuncs.com/compatible-mode/v1"',
    ),
    (
        "api",
        "app/clients.py",
        9,
        "api.deepseek.com",
        "python:OpenAI",
        'deepseek = OpenAI(api_key="***", base_url="https://api.deepseek.com/v1")',
    ),
    ("api", "app/clients.py", 10, "api.openai.com", "python:OpenAI", "default_client = OpenAI()"),
    (
        "api",
        "app/clients.py",
        11,
        "dashscope.aliyuncs.com",
        "python:AsyncOpenAI",
        "qwen = AsyncOpenAI(base_url=DASHSCOPE_BASE)",
    ),
    (
        "api",
        "app/clients.py",
        12,
        "api.moonshot.cn",
        "python:openai.base_url",
        'openai.base_url = "https://api.moonshot.cn/v1"',
    ),
    (
        "api",
        "app/clients.py",
        17,
        "deepseek-chat",
        "python:api_model",
        'return deepseek.chat.completions.create(model="deepseek-chat", '
        'messages=[{"role": "user", "content": prompt}])',
    ),
    (
        "api",
        "app/clients.py",
        21,
        "glm-4-plus",
        "python:api_model",
        'return ZhipuAI().chat.completions.create(model="glm-4-plus", messages=[])',
    ),
    # ZhipuAI() without a base URL: the SDK's default host (issue 19: vendor SDK clients).
    (
        "api",
        "app/clients.py",
        21,
        "open.bigmodel.cn",
        "python:ZhipuAI",
        'return ZhipuAI().chat.completions.create(model="glm-4-plus", messages=[])',
    ),
    (
        "hub",
        "app/models.py",
        5,
        "huggingface-hub",
        "python:import",
        "from huggingface_hub import hf_hub_download",
    ),
    ("hub", "app/models.py", 7, "modelscope", "python:import", "from modelscope import snapshot_download"),
    ("hub", "app/models.py", 12, "ollama", "python:import", "import ollama"),
    # A hub id assigned to a model-named constant counts where it is written (issue 19).
    (
        "model",
        "app/models.py",
        15,
        "Qwen/Qwen2.5-7B-Instruct",
        "python:assignment",
        'CHAT_MODEL = "Qwen/Qwen2.5-7B-Instruct"',
    ),
    (
        "hub",
        "app/models.py",
        19,
        "hf-mirror.com",
        "python:os.environ",
        'os.environ["HF_ENDPOINT"] = "https://hf-mirror.com"',
    ),
    (
        "hub",
        "app/models.py",
        20,
        "VLLM_USE_MODELSCOPE=True",
        "python:os.environ.setdefault",
        'os.environ.setdefault("VLLM_USE_MODELSCOPE", "True")',
    ),
    (
        "model",
        "app/models.py",
        24,
        "Qwen/Qwen2.5-7B-Instruct",
        "python:from_pretrained",
        "chat = AutoModelForCausalLM.from_pretrained(CHAT_MODEL)",
    ),
    (
        "model",
        "app/models.py",
        25,
        "meta-llama/Llama-3.1-8B-Instruct",
        "python:from_pretrained",
        'base = AutoModelForCausalLM.from_pretrained(f"meta-llama/Llama-3.1-{SIZE}-Instruct")',
    ),
    (
        "model",
        "app/models.py",
        26,
        "",
        "python:from_pretrained",
        "other = AutoModelForCausalLM.from_pretrained(args.model)",
    ),
    (
        "model",
        "app/models.py",
        27,
        "google/gemma-2-9b-it",
        "python:pipeline",
        'summarizer = pipeline("summarization", model="google/gemma-2-9b-it")',
    ),
    (
        "model",
        "app/models.py",
        28,
        "BAAI/bge-base-en-v1.5",
        "python:SentenceTransformer",
        'embedder = SentenceTransformer("BAAI/bge-base-en-v1.5")',
    ),
    (
        "model",
        "app/models.py",
        29,
        "deepseek-ai/DeepSeek-R1",
        "python:vllm.LLM",
        'engine = LLM(model="deepseek-ai/DeepSeek-R1")',
    ),
    (
        "model",
        "app/models.py",
        30,
        "ZhipuAI/glm-4-9b-chat",
        "python:modelscope.snapshot_download",
        'weights = snapshot_download("ZhipuAI/glm-4-9b-chat")',
    ),
    (
        "model",
        "app/models.py",
        31,
        "bartowski/Qwen2.5-7B-Instruct-GGUF",
        "python:llama_cpp.from_pretrained",
        'gguf = Llama.from_pretrained(repo_id="bartowski/Qwen2.5-7B-Instruct-GGUF", filename="*q4_k_m.gguf")',
    ),
    (
        "model",
        "app/models.py",
        32,
        "./weights/model.gguf",
        "python:llama_cpp.Llama",
        'local = Llama(model_path="./weights/model.gguf")',
    ),
    (
        "model",
        "app/models.py",
        33,
        "qwen2.5:7b",
        "python:ollama.chat",
        'reply = ollama.chat(model="qwen2.5:7b", messages=[])',
    ),
    ("benchmark", "app/models.py", 34, "MMLU", "python:string", 'mmlu = load_dataset("cais/mmlu", "all")'),
    (
        "dataset",
        "app/models.py",
        34,
        "cais/mmlu",
        "python:load_dataset",
        'mmlu = load_dataset("cais/mmlu", "all")',
    ),
    (
        "dataset",
        "app/models.py",
        36,
        "allenai/c4",
        "python:huggingface_hub.hf_hub_download",
        'card = hf_hub_download(repo_id="allenai/c4", filename="README.md", repo_type="dataset")',
    ),
    ("hub", "configs/compose.yml", 5, "hf-mirror.com", "config:yaml", "- HF_ENDPOINT=https://hf-mirror.com"),
    (
        "api",
        "configs/compose.yml",
        6,
        "open.bigmodel.cn",
        "config:yaml",
        "- OPENAI_BASE_URL=https://open.bigmodel.cn/api/paas/v4",
    ),
    (
        "model",
        "configs/eval.toml",
        2,
        "01-ai/Yi-1.5-9B-Chat",
        "config:toml",
        'model = "01-ai/Yi-1.5-9B-Chat"',
    ),
    ("benchmark", "configs/eval.toml", 3, "C-Eval", "config:toml", 'benchmarks = ["c-eval", "humaneval"]'),
    ("benchmark", "configs/eval.toml", 3, "HumanEval", "config:toml", 'benchmarks = ["c-eval", "humaneval"]'),
    (
        "model",
        "configs/serve.json",
        2,
        "moonshotai/Kimi-K2-Instruct",
        "config:json",
        '"llm": "moonshotai/Kimi-K2-Instruct",',
    ),
    (
        "api",
        "configs/serve.json",
        3,
        "api.minimax.chat",
        "config:json",
        '"fallback": {"base_url": "https://api.minimax.chat/v1", "model": "abab6.5s-chat"},',
    ),
    (
        "model",
        "configs/serve.json",
        3,
        "abab6.5s-chat",
        "config:json",
        '"fallback": {"base_url": "https://api.minimax.chat/v1", "model": "abab6.5s-chat"},',
    ),
    (
        "model",
        "configs/train.yaml",
        3,
        "Qwen/Qwen2.5-7B-Instruct",
        "config:yaml",
        "name_or_path: Qwen/Qwen2.5-7B-Instruct",
    ),
    (
        "model",
        "configs/train.yaml",
        4,
        "google-bert/bert-base-uncased",
        "config:yaml",
        "tokenizer: bert-base-uncased",
    ),
    (
        "dataset",
        "configs/train.yaml",
        6,
        "BAAI/Infinity-Instruct",
        "config:yaml",
        "dataset_name: BAAI/Infinity-Instruct",
    ),
    ("benchmark", "configs/train.yaml", 8, "GSM8K", "config:yaml", "tasks: [mmlu, gsm8k]"),
    ("benchmark", "configs/train.yaml", 8, "MMLU", "config:yaml", "tasks: [mmlu, gsm8k]"),
    ("package", "poetry.lock", 2, "anthropic", "deps:lock", 'name = "anthropic"'),
    ("package", "poetry.lock", 10, "volcengine-python-sdk", "deps:lock", 'name = "volcengine-python-sdk"'),
    (
        "package",
        "pyproject.toml",
        4,
        "openai",
        "deps:pyproject",
        'dependencies = ["openai>=1.40", "qianfan", "requests"]',
    ),
    (
        "package",
        "pyproject.toml",
        4,
        "qianfan",
        "deps:pyproject",
        'dependencies = ["openai>=1.40", "qianfan", "requests"]',
    ),
    (
        "package",
        "pyproject.toml",
        7,
        "llama-cpp-python",
        "deps:pyproject",
        'local = ["llama-cpp-python", "modelscope"]',
    ),
    (
        "package",
        "pyproject.toml",
        7,
        "modelscope",
        "deps:pyproject",
        'local = ["llama-cpp-python", "modelscope"]',
    ),
    ("package", "requirements.txt", 2, "transformers", "deps:requirements", "transformers>=4.44"),
    (
        "package",
        "requirements.txt",
        3,
        "dashscope",
        "deps:requirements",
        "dashscope==1.20.0  # Alibaba DashScope SDK",
    ),
    ("package", "requirements.txt", 5, "zhipuai", "deps:requirements", 'zhipuai; python_version >= "3.9"'),
    ("package", "requirements.txt", 6, "vllm", "deps:requirements", "vllm"),
    ("hub", "scripts/fetch.sh", 3, "VLLM_USE_MODELSCOPE=1", "shell", "export VLLM_USE_MODELSCOPE=1"),
    (
        "model",
        "scripts/fetch.sh",
        4,
        "internlm/internlm2_5-7b-chat",
        "shell:huggingface-cli download",
        "huggingface-cli download internlm/internlm2_5-7b-chat",
    ),
    ("model", "scripts/fetch.sh", 5, "deepseek-r1:8b", "shell:ollama pull", "ollama pull deepseek-r1:8b"),
    (
        "model",
        "scripts/fetch.sh",
        6,
        "mistralai/Mistral-7B-Instruct-v0.3",
        "shell:vllm serve",
        "vllm serve mistralai/Mistral-7B-Instruct-v0.3 --port 8000",
    ),
]


@pytest.fixture(scope="module")
def fixture_scan():
    return scan_repository(FIXTURE)


def test_exact_findings(fixture_scan):
    found = [(f.kind, f.file, f.line, f.subject, f.detector, f.evidence) for f in fixture_scan.findings]
    assert found == EXPECTED


def test_comments_docstrings_and_vendored_code_do_not_count(fixture_scan):
    subjects = {f.subject for f in fixture_scan.findings}
    # Named only in a docstring, in commented-out lines, or in vendored site-packages.
    for absent in (
        "Qwen/Qwen2-72B",
        "meta-llama/Llama-2-7b-hf",
        "meta-llama/Llama-2-13b-hf",
        "api.minimax.chat/v1 old",
        "ANTHROPIC_API_KEY",
        "meta-llama/Llama-3.3-70B-Instruct",
        "Qwen/Qwen2.5-72B-Instruct",
    ):
        assert absent not in subjects
    assert not any(f.file.startswith("third_party/") for f in fixture_scan.findings)
    assert [(s.path, s.reason) for s in fixture_scan.skipped] == [
        ("third_party/lib/python3.11/site-packages", "vendored third-party code (site-packages)")
    ]


def test_secrets_never_reach_the_evidence(fixture_scan):
    evidence = " ".join(f.evidence for f in fixture_scan.findings)
    assert "sk-should-never-be-shown" not in evidence
    assert "another-secret" not in evidence
    assert "sk-live-1234567890abcdef" not in evidence


def test_variable_fstring_and_unresolved_notes(fixture_scan):
    by_line = {(f.file, f.line): f for f in fixture_scan.findings if f.kind == "model"}
    assert by_line[("app/models.py", 24)].note == "CHAT_MODEL = 'Qwen/Qwen2.5-7B-Instruct' (line 15)"
    assert by_line[("app/models.py", 25)].subject == "meta-llama/Llama-3.1-8B-Instruct"  # f-string folded
    assert by_line[("app/models.py", 26)].note == "unresolved expression args.model"
    assert by_line[("app/models.py", 32)].note == "local path"


def test_counts_reconcile(fixture_scan):
    # 12 files under the fixture outside the vendored tree; every one of them is read.
    assert fixture_scan.files_seen == 12
    assert fixture_scan.files_read == 12
