"""The demo learners' notifications: what the seed's enrolments and certificate announce.

The services announce them after the seed commits; made here first, inside the seed, so
the older ones can be marked read (the services' later calls then find them and add
nothing). The inbox is not empty in ``make run`` and shows read and unread items."""

from __future__ import annotations

from certification.models import Certificate
from certification.services import certificate_issued_notify
from courses.models import Cohort
from courses.services import enrolment_notify
from lms.models import User
from notifications.models import Notification
from notifications.services import notification_mark_read


def seed_notifications(*, programme: Cohort, current: Cohort, certificate: Certificate) -> None:
    learner = User.objects.get(email="learner@example.com")
    holder = certificate.holder
    enrolment_notify(learner=learner, cohort=programme)
    enrolment_notify(learner=holder, cohort=programme)
    enrolment_notify(learner=learner, cohort=current)
    certificate_issued_notify(certificate=certificate)
    # The 2021 enrolments are old news: read.
    for notification in Notification.objects.filter(
        user__in=[learner, holder], event="enrolled", target=f"cohort:{programme.pk}"
    ).select_related("user"):
        notification_mark_read(user=notification.user, notification=notification)
