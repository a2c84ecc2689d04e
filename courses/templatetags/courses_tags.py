"""Small pieces of the learner's pages drawn in Python, not through an include: the
dashboard draws a progress bar for every module of every course, and an include
costs a template render each time."""

from __future__ import annotations

from django import template
from django.utils.formats import localize
from django.utils.html import format_html
from django.utils.translation import get_language, gettext

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
