"""Small pieces of the learner's pages drawn in Python, not through an include: the
dashboard draws a progress bar for every module of every course, and an include
costs a template render each time."""

from __future__ import annotations

from django import template
from django.utils.formats import localize
from django.utils.html import format_html
from django.utils.translation import get_language, gettext

register = template.Library()

# The bars by language and percent: a hundred and one of them a language at most.
_bars: dict[tuple, str] = {}


@register.simple_tag
def progress_bar(percent) -> str:
    """A labelled progress bar for ``percent`` (0–100), as
    ``courses/includes/progress_bar.html`` has always drawn it."""
    key = (get_language(), percent)
    bar = _bars.get(key)
    if bar is None:
        bar = _draw_progress_bar(percent)
        if len(_bars) < 4096:
            _bars[key] = bar
    return bar


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
