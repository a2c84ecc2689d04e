from django.core.management.base import BaseCommand

from quizzes import services


class Command(BaseCommand):
    help = (
        "Pass on the results that quizzes have released since they were graded (those "
        "shown after a quiz closes), so that courses count the tests passed. Run every "
        "minute from cron."
    )

    def handle(self, *args, **options):
        released = services.release_due_results()
        self.stdout.write(f"released {released}")
