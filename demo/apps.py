from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo content for development, tests and the benchmarks; never installed in
    production (config/settings/production.py does not list it)."""

    name = "demo"
    verbose_name = "Demo content"
