"""Load the demo content: accounts, home pages, and (as the apps grow) courses and more."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from demo.accounts import DEMO_ACCOUNTS, seed_accounts
from demo.assignment import seed_assignment
from demo.certificate import seed_certificate
from demo.course import seed_course
from demo.discussions import seed_discussions
from demo.evaluation import seed_survey
from demo.gradebook import seed_grading_scheme
from demo.news import seed_home_pages, seed_news
from demo.notifications import seed_notifications
from demo.timetable import seed_timetable


class Command(BaseCommand):
    help = "Create or refresh the demo content. Safe to run again; refused in production."

    def handle(self, *args, **options):
        if getattr(settings, "IS_PRODUCTION", False):
            raise CommandError("seed_demo is refused under production settings.")
        verbose = options["verbosity"] >= 1

        def say(message: str) -> None:
            # A line per step, at once: the whole seed takes a minute or more.
            if verbose:
                self.stdout.write(message)
                self.stdout.flush()

        with transaction.atomic():
            say("Accounts and groups…")
            seed_accounts()
            say("Home pages in every language…")
            home = seed_home_pages()
            cohort = seed_course(home=home, say=say)
            say("News: articles, pictures, comments…")
            seed_news(home=home, course=cohort.course)
            say("A certificate for the second demo learner…")
            certificate = seed_certificate(cohort=cohort)
            say("The course's evaluation survey and the 2021 cohort's answers…")
            seed_survey(cohort=cohort)
            # Before the timetable: its attendance covers every learner of the cohort,
            # and the work is not dated late by the 2021 due dates.
            say("The project assignment and the 2021 cohort's work on it…")
            seed_assignment(cohort=cohort)
            say("Timetables of the two demo cohorts…")
            current = seed_timetable(cohort=cohort)
            say("Notifications of the demo learners…")
            seed_notifications(programme=cohort, current=current, certificate=certificate)
            say("Questions and answers under the first lesson…")
            seed_discussions(cohort=current)
            say("The course's grading scheme…")
            seed_grading_scheme(course=cohort.course)
        say(
            self.style.SUCCESS(
                f"Demo content ready: {len(DEMO_ACCOUNTS)} accounts, home pages and the "
                f"course in {len(settings.LANGUAGES)} languages, two cohorts with their "
                f"timetables, the course survey, the news."
            )
        )
        say(
            f"Current demo cohort: {current.name}, "
            f"{current.starts_on:%Y-%m-%d} to {current.ends_on:%Y-%m-%d}"
        )
        say(f"Demo certificate {certificate.printed_number}: /v/{certificate.printed_number}")
