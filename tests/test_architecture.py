"""The apps keep to their layers (``.importlinter``, drawn in docs/architecture.md):
an import against the flow fails the build, and no app of ours is left out of it."""

import configparser
from pathlib import Path

from django.apps import apps
from importlinter.cli import EXIT_STATUS_SUCCESS, lint_imports

ROOT = Path(__file__).resolve().parent.parent
CONTRACTS = ROOT / ".importlinter"


def test_no_app_imports_against_the_layers():
    # Reads the source, imports inside functions included; the report goes to stdout.
    status = lint_imports(config_filename=str(CONTRACTS), no_cache=True, no_logo=True)
    assert status == EXIT_STATUS_SUCCESS


def test_every_app_of_ours_is_in_a_layer():
    config = configparser.ConfigParser()
    config.read(CONTRACTS)
    layered = {
        app.strip()
        for line in config["importlinter:contract:layers"]["layers"].split()
        for app in line.split("|")
    } - {""}
    ours = {
        config.name
        for config in apps.get_app_configs()
        if Path(config.path).resolve().parent == ROOT
    }
    assert ours <= layered
