"""The holder hears of their certificate (with its share link) and of its revocation
(with the reason); a re-issue announces the new certificate, not a revocation."""

from certification import services
from certification.models import Certificate
from notifications.models import Notification


def test_issue_notifies_with_the_share_link(completed, django_capture_on_commit_callbacks):
    enrolment, _course = completed
    with django_capture_on_commit_callbacks(execute=True):
        certificate = services.certificate_issue(enrolment=enrolment)
    with django_capture_on_commit_callbacks(execute=True):
        services.certificate_issue(enrolment=enrolment)  # again: the same one, no news
    notification = Notification.objects.get(user=enrolment.learner)
    assert notification.event == "certificate_issued"
    assert notification.target == f"certificate:{certificate.pk}"
    assert notification.url == f"/v/{certificate.printed_number}"
    assert f"http://testserver/v/{certificate.printed_number}" in notification.body
    assert certificate.printed_number in notification.body


def test_revocation_notifies_with_the_reason_not_the_note(
    completed, django_capture_on_commit_callbacks
):
    enrolment, _course = completed
    certificate = services.certificate_issue(enrolment=enrolment)
    with django_capture_on_commit_callbacks(execute=True):
        services.certificate_revoke(
            certificate=certificate,
            reason=Certificate.Reason.ERROR,
            note="Internal ticket 42",
            actor="system",
        )
    notification = Notification.objects.get(event="certificate_revoked")
    assert notification.user == enrolment.learner
    assert str(Certificate.Reason.ERROR.label) in notification.body
    assert "ticket" not in notification.body


def test_reissue_announces_the_new_certificate_only(completed, django_capture_on_commit_callbacks):
    enrolment, _course = completed
    with django_capture_on_commit_callbacks(execute=True):
        old = services.certificate_issue(enrolment=enrolment)
    with django_capture_on_commit_callbacks(execute=True):
        new = services.certificate_reissue(certificate=old, actor="system")
    assert list(Notification.objects.order_by("pk").values_list("event", "target")) == [
        ("certificate_issued", f"certificate:{old.pk}"),
        ("certificate_issued", f"certificate:{new.pk}"),
    ]
