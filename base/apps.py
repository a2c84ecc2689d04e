from django.apps import AppConfig


class BaseConfig(AppConfig):
    """What the domain apps share and build on: content blocks, spreadsheet exports and
    the admin's charts. It imports no domain app."""

    name = "base"
