"""Small pieces of the learner's pages drawn in Python, not through an include: the
dashboard draws a progress bar for every module of every course, and an include
costs a template render each time."""

from __future__ import annotations

import uuid

from django import template
from django.urls import get_script_prefix
from django.utils import timezone
from django.utils.formats import localize
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext, ngettext

from lms.page_generation import DrawnMemo, GenerationMemo, request_generation

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


# Blocks of the lesson page drawn once per process for the values they show (see
# ``drawn``): a few thousand small strings at most.
_blocks = DrawnMemo(size=4096)


@register.tag
def drawn(parser, token):
    """``{% drawn value … %}…{% enddrawn %}``: the block drawn once per process for the
    values given, in each language, time zone and script prefix, then reused.

    The values must hold everything the block shows, and the block must set nothing in
    the context. Every lesson page draws the same few notices, buttons and plural
    forms, and each costs a template render; the page's CSRF token is filled in.
    """
    return _drawn_node(parser, token, "enddrawn", links=False)


# Blocks with links to pages: an address depends on the page tree, the sites and the
# site asked for, so they are kept by the request's host and port and only while the
# page generation stands (a publish, move or site edit starts a new one).
_linked_blocks = GenerationMemo(size=4096)


@register.tag
def drawn_links(parser, token):
    """``{% drawn_links value … %}…{% enddrawn_links %}``: ``drawn`` for a block with
    links to pages (``pageurl``), kept for the request's site while the page
    generation stands. The values must still hold every page linked and its title."""
    return _drawn_node(parser, token, "enddrawn_links", links=True)


def _drawn_node(parser, token, end: str, *, links: bool):
    values = [parser.compile_filter(bit) for bit in token.split_contents()[1:]]
    nodelist = parser.parse((end,))
    parser.delete_first_token()
    return DrawnNode(nodelist, values, links=links)


class DrawnNode(template.Node):
    def __init__(self, nodelist, values, *, links: bool) -> None:
        self.nodelist, self.values, self.links = nodelist, values, links

    def render(self, context) -> str:
        # The node itself in the key: a template loaded again draws its blocks anew.
        key = (
            self,
            get_language(),
            timezone.get_current_timezone_name(),
            get_script_prefix(),
            context.autoescape,
            context.use_l10n,
            context.use_tz,
            *[value.resolve(context) for value in self.values],
        )
        if not self.links:
            pieces = _blocks.get(key, lambda: self._draw(context))
        elif (request := context.get("request")) is None:
            return self.nodelist.render(context)
        else:
            # the host as Wagtail reads it to find the site (no ALLOWED_HOSTS check)
            key += (request._get_raw_host(), request.get_port())
            pieces = _linked_blocks.get(
                key, lambda: self._draw(context), generation=request_generation(request)
            )
        if len(pieces) == 1:
            return pieces[0]
        csrf_token = context.get("csrf_token")
        if not csrf_token or csrf_token == "NOTPROVIDED":  # noqa: S105 - no field drawn
            return self.nodelist.render(context)
        # the token is letters and digits
        return mark_safe(str(csrf_token).join(pieces))  # noqa: S308

    def _draw(self, context) -> tuple[str, ...]:
        """The block cut where the CSRF token goes: drawn with a random mark in its place,
        which nothing else in the block can hold."""
        mark = uuid.uuid4().hex
        with context.push(csrf_token=mark):
            return tuple(self.nodelist.render(context).split(mark))


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
