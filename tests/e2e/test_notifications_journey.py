"""The inbox on a phone: the header's count, opening a notification, the settings."""

from notifications.services import Message, notify
from tests.e2e.browser_helpers import axe_violations, check_layout, describe, sign_in

LEARNER = "learner@example.com"


def test_inbox_and_settings_on_a_phone(page, demo_site, settings):
    from demo.accounts import demo_password
    from lms.models import User

    settings.TELEGRAM_BOT_TOKEN = "123:token"
    settings.TELEGRAM_BOT_USERNAME = "AkimAcademyBot"
    settings.SMS_GATEWAY_URL = "http://127.0.0.1:9/send"
    settings.SMS_GATEWAY_TOKEN = "token"
    learner = User.objects.get(email=LEARNER)
    for target in ("1", "2"):
        notify(
            event="certificate_issued",
            recipients=[learner],
            target=f"demo:{target}",
            message=lambda user, target=target: Message(
                subject=f"Сертификат {target}", body="Проверка", url="/ru/dashboard/"
            ),
        )
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, demo_site, LEARNER, demo_password())
    page.goto(demo_site + "/ru/notifications/", wait_until="load")
    badge = page.locator(".account__notifications .count-badge")
    assert badge.inner_text() == "2"
    problems = check_layout(page, "notifications inbox")
    violations = axe_violations(page)
    assert not violations, describe(violations)
    page.locator(".notification__subject").first.click()
    page.wait_for_url("**/ru/dashboard/")
    assert page.locator(".account__notifications .count-badge").inner_text() == "1"
    page.goto(demo_site + "/ru/notifications/settings/", wait_until="load")
    problems += check_layout(page, "notification settings")
    violations = axe_violations(page)
    assert not violations, describe(violations)
    page.locator("#id_contact-phone").fill("8 701 123 45 67")
    page.locator("form.notification-settings button[type=submit]").click()
    page.wait_for_load_state("load")
    assert page.locator("#id_contact-phone").input_value() == "+77011234567"
    assert problems == []
