"""Lesson blocks: video with a text alternative, loaded lazily; callouts; tables."""

from unittest import mock

from django.utils.translation import gettext
from wagtail.embeds.exceptions import EmbedNotFoundException
from wagtail.embeds.models import Embed

from base.blocks import VideoBlock
from courses.blocks import CalloutBlock, LessonStreamBlock

VIDEO = {
    "video": "https://video.example/watch?v=1",
    "title": "Бюджетные слушания",
    "transcript": "<p>Аким открывает слушания.</p>",
    "download_url": "https://video.example/files/1.mp4",
}


def _video_html():
    block = VideoBlock()
    return block.render(block.to_python(VIDEO))


def test_video_iframe_is_lazy_and_has_a_text_alternative(db):
    embed = Embed(html='<iframe src="https://video.example/embed/1"></iframe>', type="video")
    with mock.patch("cms.templatetags.cms_tags.embeds.get_embed", return_value=embed):
        html = _video_html()
    assert '<iframe loading="lazy" src=' in html
    assert "Аким открывает слушания." in html
    assert 'href="https://video.example/files/1.mp4" download' in html


def test_video_without_a_reachable_provider_still_gives_the_text(db):
    with mock.patch(
        "cms.templatetags.cms_tags.embeds.get_embed",
        side_effect=EmbedNotFoundException,
    ):
        html = _video_html()
    assert "<iframe" not in html
    assert "Аким открывает слушания." in html


def test_callout_shows_its_kind_when_it_has_no_title():
    block = CalloutBlock()
    value = block.to_python({"kind": "warning", "title": "", "text": "<p>Сроки!</p>"})
    html = block.render(value)
    assert 'class="callout callout--warning"' in html
    assert f'<p class="callout__title">{gettext("Warning")}</p>' in html


def test_table_renders_inside_a_scrollable_wrapper():
    stream = LessonStreamBlock()
    value = stream.to_python(
        [
            {
                "type": "table",
                "value": {
                    "first_row_is_table_header": True,
                    "first_col_is_header": False,
                    "table_header_choice": "row",
                    "data": [["Этап", "Срок"], ["План", "Январь"]],
                },
            }
        ]
    )
    html = stream.render(value)
    assert '<div class="table-wrap" role="region" tabindex="0"' in html
    assert "<th" in html and "Январь" in html
