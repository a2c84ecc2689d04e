"""Prepare an empty production database: migrations, roles, home pages, the Site."""

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from lms.operations import BootstrapRefused, site_bootstrap


class Command(BaseCommand):
    help = (
        "Prepare an empty database for production: apply the migrations (which make the "
        "roles), create the home pages in Russian, Kazakh and English, and point the "
        "Wagtail Site at SITE_URL. Safe to run again: a second run changes nothing."
    )

    def handle(self, *args, **options):
        if not settings.SITE_URL:
            # Before migrating: an operator who forgot it should not get half a setup.
            raise CommandError(
                "SITE_URL is not set. Set it to the site's public address, e.g. "
                "SITE_URL=https://akim.example.kz, and run bootstrap_site again."
            )
        call_command("migrate", interactive=False, verbosity=0)
        try:
            report = site_bootstrap(site_url=settings.SITE_URL)
        except BootstrapRefused as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Roles: {', '.join(report.roles)}")
        for language, url in sorted(report.home_pages.items()):
            self.stdout.write(f"Home page ({language}): {url}")
        self.stdout.write(f"Site: {report.site} (from SITE_URL={settings.SITE_URL})")
        for note in report.notes:
            self.stdout.write(self.style.WARNING(note))
        if report.changed:
            self.stdout.write(self.style.SUCCESS("The site is ready."))
        else:
            self.stdout.write(self.style.SUCCESS("The site was ready already: nothing changed."))
