"""The ways to deploy say the same thing: the Procfile, the container files and the
README's production section (every setting the code reads is documented)."""

import os
import re
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
SOURCE_DIRS = ["lms", "cms", "courses", "quizzes", "certification"]
# Read by the code but not an operator's setting: set by the test runner or the smoke.
NOT_FOR_OPERATORS = {"REQUIRE_POSTGRES", "REDIS_TEST_URL", "CI", "SMOKE_STEP", "SMOKE_ARGUMENT"}


def procfile() -> dict[str, str]:
    lines = (ROOT / "Procfile").read_text().splitlines()
    return {
        name.strip(): command.strip()
        for name, command in (line.split(":", 1) for line in lines if line.strip())
    }


def test_compose_runs_the_procfile_processes_with_the_same_commands():
    services = yaml.safe_load((ROOT / "compose.yaml").read_text())["services"]
    processes = procfile()
    for name, command in processes.items():
        if name == "release":
            # The image collects the static files when it is built; the release step
            # in containers only migrates.
            assert services["release"]["command"] in command
            continue
        assert services[name]["command"] == command, name
    assert {"db", "redis"} <= set(services)


def test_the_image_starts_the_web_process_as_the_procfile_does():
    dockerfile = (ROOT / "Dockerfile").read_text()
    cmd = re.search(r'^CMD \["sh", "-c", "exec (.+)"\]$', dockerfile, re.M)
    assert cmd and cmd[1] == procfile()["web"]


def _settings_read() -> set[str]:
    names = set()
    pattern = re.compile(
        r"""(?:env_(?:str|bool|int|list|float|seconds|path)|environ\.get|getenv)\(\s*["']([A-Z][A-Z0-9_]+)["']"""
    )
    for directory in SOURCE_DIRS:
        for path in (ROOT / directory).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            names |= set(pattern.findall(path.read_text()))
    return names - NOT_FOR_OPERATORS


def test_every_setting_the_code_reads_is_in_the_readme():
    readme = (ROOT / "README.md").read_text()
    missing = sorted(name for name in _settings_read() if f"`{name}" not in readme)
    assert not missing, f"not documented in README.md: {missing}"


@pytest.mark.parametrize(
    ("environment", "arguments", "served_at"),
    [
        ({}, [], "127.0.0.1:8000"),
        ({"PORT": "8100"}, [], "127.0.0.1:8100"),
        ({}, ["PORT=8200"], "127.0.0.1:8200"),
    ],
)
def test_make_run_serves_on_the_port_asked_for(environment, arguments, served_at):
    """Issue 14: `PORT=8100 make run` still served on 8000 (make -n: nothing is run)."""
    env = {key: value for key, value in os.environ.items() if key != "PORT"} | environment
    commands = subprocess.run(
        ["make", "-n", "run", *arguments],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert f"manage.py runserver {served_at}\n" in commands
