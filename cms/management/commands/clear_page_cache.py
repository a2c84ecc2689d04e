from django.core.management.base import BaseCommand

from cms import page_cache


class Command(BaseCommand):
    help = "Make every page in the server-side page cache stale (run after a deploy)."

    def handle(self, *args, **options):
        page_cache.invalidate()
        self.stdout.write("page cache cleared")
