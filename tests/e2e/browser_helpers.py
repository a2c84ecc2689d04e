"""Helpers for the browser journeys: axe-core checks, page weight, screenshots."""

from __future__ import annotations

import os
from pathlib import Path

import axe_playwright_python

# axe-core as shipped in the axe-playwright-python wheel: works offline, no npm.
AXE_JS = (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text(encoding="utf-8")
WCAG_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa")

# pytest-playwright empties test-results/ at the start of every pytest run (unit runs
# too), so E2E_SCREENSHOT_DIR can send the screenshots elsewhere.
SCREENSHOT_DIR = Path(
    os.environ.get("E2E_SCREENSHOT_DIR") or Path(__file__).resolve().parents[2] / "test-results"
)
VIEWPORTS = {
    "phone": {"width": 390, "height": 844},
    "desktop": {"width": 1280, "height": 800},
}


def axe_violations(page, impacts=("serious", "critical"), tags=WCAG_TAGS) -> list[dict]:
    """axe-core's violations on the current page, of the given impacts.

    axe is injected with ``page.evaluate``, not ``add_script_tag``: the site's
    Content-Security-Policy (script-src 'self') would block an inline script tag.
    """
    if not page.evaluate("() => !!window.axe"):
        page.evaluate(AXE_JS)
    options = {"resultTypes": ["violations"], "runOnly": {"type": "tag", "values": list(tags)}}
    results = page.evaluate("options => axe.run(document, options)", options)
    return [v for v in results["violations"] if impacts is None or v["impact"] in impacts]


def describe(violations: list[dict]) -> str:
    """One line per violation: rule, impact, help text and the first few offending nodes."""
    lines = []
    for violation in violations:
        targets = ", ".join(" ".join(node["target"]) for node in violation["nodes"][:5])
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']} -> {targets}")
    return "\n".join(lines)


def page_weight(page, url: str) -> tuple[int, int, list]:
    """Load ``url`` and measure it.

    Returns (bytes on the wire: response headers plus encoded bodies of every request,
    decoded body bytes, the finished requests). Use a fresh browser context for a
    first view: a warm cache would hide the stylesheet.
    """
    finished = []

    def record(request):
        finished.append(request)

    page.on("requestfinished", record)
    page.goto(url, wait_until="networkidle")
    page.remove_listener("requestfinished", record)
    wire = 0
    decoded = 0
    for request in finished:
        sizes = request.sizes()
        wire += sizes["responseHeadersSize"] + sizes["responseBodySize"]
        if request.redirected_to is None:
            decoded += len(request.response().body())
    return wire, decoded, finished


def screenshot(page, name: str) -> list[Path]:
    """Full-page screenshots of the current page at phone and desktop widths.

    Saved to test-results/<name>-<viewport>.png (git-ignored). The viewport is put
    back afterwards.
    """
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    original = page.viewport_size
    paths = []
    for label, size in VIEWPORTS.items():
        page.set_viewport_size(size)
        path = SCREENSHOT_DIR / f"{name}-{label}.png"
        page.screenshot(path=str(path), full_page=True)
        paths.append(path)
    if original:
        page.set_viewport_size(original)
    return paths


def horizontal_overflow(page) -> int:
    """How many CSS pixels the page is wider than the viewport (0 when it fits)."""
    return page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


def gettext_in(language: str, message: str) -> str:
    """``message`` from the project's catalogues, as a page in ``language`` shows it."""
    from django.utils import translation

    with translation.override(language):
        return translation.gettext(message)


def sign_in(page, base_url: str, email: str, password: str) -> None:
    """Sign in through the real form, finding fields and button by their visible names.

    Ends once the browser has left the sign-in page (where it goes depends on ``next``
    and the account's preferred language).
    """
    import re

    from django.contrib.auth.forms import AuthenticationForm
    from django.utils import translation
    from playwright.sync_api import expect

    page.goto(base_url + "/accounts/login/")
    language = page.locator("html").get_attribute("lang")
    with translation.override(language):
        form = AuthenticationForm()
        username_label = str(form.fields["username"].label)
        password_label = str(form.fields["password"].label)
    page.get_by_label(username_label, exact=True).fill(email)
    page.get_by_label(password_label, exact=True).fill(password)
    sign_in_label = gettext_in(language, "Sign in")
    page.get_by_role("main").get_by_role("button", name=sign_in_label, exact=True).click()
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))


def watch_problems(page, ignore_suffixes=("/favicon.ico",)) -> list[str]:
    """Start collecting console errors, uncaught exceptions and HTTP errors of ``page``."""
    problems: list[str] = []

    def on_console(message):
        url = message.location.get("url") or ""
        if message.type == "error" and not url.endswith(ignore_suffixes):
            problems.append(f"console: {message.text} ({url})")

    def on_response(response):
        if response.status >= 400 and not response.url.endswith(ignore_suffixes):
            problems.append(f"HTTP {response.status}: {response.url}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.append(f"exception: {error}"))
    page.on("response", on_response)
    return problems


# Layout: what axe cannot see (overflow, labels beside controls, target and text sizes,
# one h1). The checks run in the page: layout_checks.js.
LAYOUT_JS = (Path(__file__).with_name("layout_checks.js")).read_text(encoding="utf-8")
# The quiz's answer rows: each radio button or check box with its label, a full-width row.
ANSWER_ROWS = ", ".join(
    f'form.question label:has(> input[type="{kind}"])' for kind in ("radio", "checkbox")
)


def layout_problems(page) -> list[str]:
    """What is wrong with the current page's layout at its current viewport size."""
    return page.evaluate(
        LAYOUT_JS,
        {"answerRows": ANSWER_ROWS, "minTarget": 24, "minAnswerRow": 44, "minFont": 12},
    )


def check_layout(page, name: str) -> list[str]:
    """The layout checks at 390 px and 1280 px, with a full-page screenshot of each.

    Returns the problems found, each prefixed with the page's name and width; the
    screenshots are kept in test-results/layout/ (git-ignored). The viewport is put back.
    """
    folder = SCREENSHOT_DIR / "layout"
    folder.mkdir(parents=True, exist_ok=True)
    original = page.viewport_size
    problems = []
    try:
        for label, size in VIEWPORTS.items():
            page.set_viewport_size(size)
            path = folder / f"{name.replace(' ', '-')}-{label}.png"
            page.screenshot(path=str(path), full_page=True)
            problems += [f"{name} @{size['width']}px: {p}" for p in layout_problems(page)]
    finally:
        if original:
            page.set_viewport_size(original)
    return problems


def emulate_slow_link(page, kbps: int = 400, rtt_ms: int = 400):
    """Chromium's network emulation for ``page``: a 3G-class link (bytes per second =
    kbit/s × 125). Returns the CDP session, which must stay open while it applies."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send(
        "Network.emulateNetworkConditions",
        {
            "offline": False,
            "latency": rtt_ms,
            "downloadThroughput": kbps * 125,
            "uploadThroughput": kbps * 125,
        },
    )
    return cdp
