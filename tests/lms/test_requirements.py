"""Production installs requirements.txt alone: it holds no test or lint tool, and the
code production runs imports nothing that only requirements-dev.txt installs."""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# What production runs (bench/, deploy/prod_smoke.py and tests/ are developers' tools).
PRODUCTION_DIRS = [
    *("config", "lms", "base", "cms", "courses", "quizzes", "certification", "schedule"),
    *("notifications", "discussions", "evaluations", "assignments", "gradebook"),
]
# The top-level modules each development-only distribution provides.
DEV_IMPORT_NAMES = {
    "pytest": {"pytest", "_pytest"},
    "pytest-django": {"pytest_django"},
    "factory-boy": {"factory"},
    "wagtail-factories": {"wagtail_factories"},
    "hypothesis": {"hypothesis"},
    "time-machine": {"time_machine"},
    "playwright": {"playwright"},
    "pytest-playwright": {"pytest_playwright"},
    "pytest-xdist": {"xdist"},
    "axe-playwright-python": {"axe_playwright_python"},
    "ruff": {"ruff"},
    "pypdf": {"pypdf"},
    "pyjwt": {"jwt"},
    "jsonschema": {"jsonschema"},
    "moto": {"moto"},
    "import-linter": {"importlinter"},
}
TOOL = re.compile(
    r"^(pytest.*|.*playwright.*|axe-.*|ruff|moto|hypothesis|faker|factory-boy|"
    r"wagtail-factories|time-machine|freezegun|coverage|mypy|django-stubs|black|flake8|"
    r"isort|pylint|import-linter|pre-commit|locust|tox|nox)$"
)


def _requirements(name: str) -> set[str]:
    names = set()
    for line in (ROOT / name).read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line and not line.startswith("-"):
            names.add(re.split(r"[\[=<>~!;\s]", line, maxsplit=1)[0].lower().replace("_", "-"))
    return names


def _imported(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module.split(".")[0])
    return names


def test_requirements_hold_no_test_or_lint_tool():
    tools = sorted(name for name in _requirements("requirements.txt") if TOOL.match(name))
    assert not tools, f"development tools in requirements.txt: {tools}"


def test_the_development_list_adds_to_the_runtime_one():
    lines = (ROOT / "requirements-dev.txt").read_text().splitlines()
    assert "-r requirements.txt" in lines
    assert not _requirements("requirements.txt") & _requirements("requirements-dev.txt")


def test_every_development_only_package_has_its_import_names_listed():
    unknown = sorted(_requirements("requirements-dev.txt") - DEV_IMPORT_NAMES.keys())
    assert not unknown, f"add the modules these provide to DEV_IMPORT_NAMES: {unknown}"


def test_production_code_imports_nothing_only_development_installs():
    dev_only = set().union(
        *(DEV_IMPORT_NAMES[name] for name in _requirements("requirements-dev.txt"))
    )
    found = []
    for directory in PRODUCTION_DIRS:
        for path in (ROOT / directory).rglob("*.py"):
            for name in sorted(_imported(path) & dev_only):
                found.append(f"{path.relative_to(ROOT)}: {name}")
    assert not found, "production code imports development-only packages:\n" + "\n".join(found)


def test_the_image_installs_the_runtime_list_only():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "pip install -r requirements.txt" in dockerfile
    assert "requirements-dev" not in dockerfile
