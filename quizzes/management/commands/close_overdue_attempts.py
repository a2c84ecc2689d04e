from django.core.management.base import BaseCommand

from quizzes import services


class Command(BaseCommand):
    help = "Finish quiz attempts whose time limit has passed (run every minute from cron)."

    def handle(self, *args, **options):
        closed = services.close_overdue_attempts()
        self.stdout.write(f"closed {closed}")
