"""The admin's Q&A moderation rules (a trainer sets them for their own courses) and the
menu item to the unanswered questions."""

from django.urls import reverse

from discussions.models import CourseQuestionRule
from tests.factories.courses import build_course


def test_a_trainer_turns_premoderation_on_for_their_course_only(
    client, trainer, cohort, home_pages
):
    other_course = build_course(home_pages["ru"], modules=1, lessons=1, slug="other")
    client.force_login(trainer)
    assert client.get(reverse("discussions_rule:add")).status_code == 200
    refused = client.post(
        reverse("discussions_rule:add"), {"course": other_course.pk, "premoderation": "on"}
    )
    assert refused.status_code == 200 and not CourseQuestionRule.objects.exists()
    client.post(
        reverse("discussions_rule:add"), {"course": cohort.course.pk, "premoderation": "on"}
    )
    rule = CourseQuestionRule.objects.get()
    assert rule.course_id == cohort.course.pk and rule.premoderation


def test_another_courses_rule_is_not_the_trainers_to_edit(client, other_trainer, cohort, trainer):
    rule = CourseQuestionRule.objects.create(course=cohort.course)
    client.force_login(other_trainer)
    assert (
        reverse("discussions_rule:edit", args=[rule.pk])
        not in client.get(reverse("discussions_rule:index")).content.decode()
    )
    assert client.get(reverse("discussions_rule:edit", args=[rule.pk])).status_code == 404


def test_the_menu_links_a_trainer_to_the_unanswered_questions(client, trainer, cohort):
    client.force_login(trainer)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("discussions_unanswered") in html
