from django.core.management.base import BaseCommand

from cms import services


class Command(BaseCommand):
    help = "Add article views counted in the cache to the daily totals (run every 5 minutes)."

    def handle(self, *args, **options):
        folded = services.article_views_fold()
        self.stdout.write(f"folded {folded} views")
