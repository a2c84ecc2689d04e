"""The learner's page and forms, and who may download which file (others get 404)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from assignments import services
from assignments.models import Submission, SubmissionFile
from courses.models import CohortItemDates
from tests.factories.assignments import pdf_bytes, png_bytes, upload


@pytest.fixture
def handed_in(assignment, enrolment, learner):
    services.draft_save(learner=learner, page=assignment, text="План")
    stored = services.file_add(
        learner=learner, page=assignment, upload=upload("plan.pdf", pdf_bytes())
    )
    services.submission_submit(learner=learner, page=assignment)
    return stored


def test_the_page_shows_the_form_and_rubric(client, assignment, enrolment, learner):
    client.force_login(learner)
    response = client.get(assignment.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'enctype="multipart/form-data"' in html
    assert 'accept=".pdf,.docx,.jpg,.jpeg,.png"' in html
    assert "Бюджет" in html and 'data-state="draft"' in html


def test_a_stranger_gets_404_and_anonymous_sign_in(client, assignment, other_trainer):
    assert client.get(assignment.url).status_code == 302
    client.force_login(other_trainer)  # teaches another cohort of the course: may read
    assert client.get(assignment.url).status_code == 200


def test_plain_form_saves_text_and_files(client, assignment, enrolment, learner):
    client.force_login(learner)
    response = client.post(
        reverse("assignment_work", args=[assignment.pk]),
        {"text": "План площадки", "action": "submit", "files": [upload("p.pdf", pdf_bytes())]},
    )
    assert response.status_code == 302
    submission = Submission.objects.get()
    assert submission.state == Submission.State.SUBMITTED
    assert submission.versions.get().files.count() == 1


def test_a_refused_file_keeps_the_text_and_does_not_hand_in(client, assignment, enrolment, learner):
    client.force_login(learner)
    response = client.post(
        reverse("assignment_work", args=[assignment.pk]),
        {"text": "Мой текст", "action": "submit", "files": [upload("p.pdf", png_bytes())]},
        follow=True,
    )
    submission = Submission.objects.get()
    assert submission.text == "Мой текст"
    assert submission.state == Submission.State.DRAFT
    assert "Мой текст" in response.content.decode()
    assert not SubmissionFile.objects.exists()


def test_double_post_makes_one_version(client, assignment, enrolment, learner):
    client.force_login(learner)
    data = {"text": "План", "action": "submit"}
    url = reverse("assignment_work", args=[assignment.pk])
    client.post(url, data)
    client.post(url, data)
    assert Submission.objects.get().versions.count() == 1


def test_script_upload_answers_json(client, assignment, enrolment, learner):
    client.force_login(learner)
    url = reverse("assignment_file_upload", args=[assignment.pk])
    ok = client.post(url, {"file": upload("p.pdf", pdf_bytes())})
    assert ok.status_code == 200 and ok.json()["name"] == "p.pdf"
    bad = client.post(url, {"file": upload("p.pdf", png_bytes())})
    assert bad.status_code == 400 and "error" in bad.json()


def test_locked_assignment_refuses_posts_and_hides_instructions(
    client, assignment, enrolment, learner
):
    CohortItemDates.objects.create(
        cohort=enrolment.cohort,
        item_key=assignment.translation_key,
        opens_at=timezone.now() + timedelta(days=2),
    )
    client.force_login(learner)
    response = client.get(assignment.url)
    assert "Опишите проект" not in response.content.decode()
    url = reverse("assignment_work", args=[assignment.pk])
    assert client.post(url, {"text": "x", "action": "submit"}).status_code == 403


def test_the_learner_downloads_their_file_as_an_attachment(client, handed_in, learner):
    client.force_login(learner)
    response = client.get(reverse("assignment_file", args=[handed_in.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_the_cohort_trainer_may_download(client, handed_in, trainer):
    client.force_login(trainer)
    assert client.get(reverse("assignment_file", args=[handed_in.pk])).status_code == 200


@pytest.mark.parametrize("who", ["other_learner", "other_trainer"])
def test_others_get_404_for_a_file(client, handed_in, who, request):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("assignment_file", args=[handed_in.pk])).status_code == 404


def test_another_learner_cannot_remove_a_draft_file(
    client, assignment, enrolment, learner, other_learner
):
    pdf = upload("p.pdf", pdf_bytes())
    stored = services.file_add(learner=learner, page=assignment, upload=pdf)
    client.force_login(other_learner)
    url = reverse("assignment_file_remove", args=[stored.pk])
    assert client.post(url, {"page": assignment.pk}).status_code == 404
    assert SubmissionFile.objects.filter(pk=stored.pk).exists()
    client.force_login(learner)
    assert client.post(url, {"page": assignment.pk}).status_code == 302
    assert not SubmissionFile.objects.filter(pk=stored.pk).exists()


def test_the_file_has_no_public_url(handed_in):
    assert not handed_in.file.url.startswith("/media/")
    assert "plan" not in handed_in.file.name  # a random name, the learner's name kept apart
