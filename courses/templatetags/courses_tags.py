"""Small pieces of the learner's pages drawn in Python, not through an include: the
dashboard draws a progress bar for every module of every course, and an include
costs a template render each time."""

from __future__ import annotations

from django import template
from django.utils.formats import localize
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext, ngettext

from lms.page_generation import DrawnMemo

register = template.Library()

# The bars by language and percent: a hundred and one of them a language at most.
_bars = DrawnMemo(size=4096)


@register.simple_tag
def progress_bar(percent) -> str:
    """A labelled progress bar for ``percent`` (0–100), as
    ``courses/includes/progress_bar.html`` has always drawn it."""
    return _bars.get((get_language(), percent), lambda: _draw_progress_bar(percent))


def _draw_progress_bar(percent) -> str:
    value = localize(percent)
    return format_html(
        '<p class="progress"><progress max="100" value="{}" aria-label="{}">{}%</progress>'
        ' <span class="progress__label">{}</span></p>\n',
        value,
        gettext("Progress"),
        value,
        gettext("%(percent)s%% done") % {"percent": value},
    )


# A module's line on the dashboard by language, title, items new since completion and
# percent: the same few lines for everyone in a course (0 %, 100 %...).
_module_lines = DrawnMemo(size=4096)


@register.simple_tag
def module_progress_lines(modules) -> SafeString:
    """The ``<li>`` of each module (``ModuleSummary``) in the dashboard's "Progress by
    module", as the dashboard's loop has always drawn them."""
    language = get_language()
    return SafeString(
        "".join(
            _module_lines.get(
                (language, module.page.title, module.new, module.percent),
                lambda module=module: _draw_module_line(module),
            )
            for module in modules
        )
    )


def _draw_module_line(module) -> str:
    new = ""
    if module.new:
        # a translation is trusted text, as the template's blocktranslate takes it
        text = ngettext("%(new)s new", "%(new)s new", module.new) % {"new": localize(module.new)}
        new = format_html(" · {}", mark_safe(text))  # noqa: S308
    return format_html(
        "\n                        <li><span>{}{}</span> {}</li>\n                    ",
        module.page.title,
        new,
        progress_bar(module.percent),
    )
