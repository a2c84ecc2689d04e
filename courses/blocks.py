"""Blocks for lesson bodies: the public blocks plus what teaching material needs."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.contrib.table_block.blocks import TableBlock

from base.blocks import BaseStreamBlock, DocumentBlock, VideoBlock


class CalloutBlock(blocks.StructBlock):
    kind = blocks.ChoiceBlock(
        label=_("Kind"),
        choices=[
            ("key_points", _("Key points")),
            ("tip", _("Tip")),
            ("warning", _("Warning")),
            ("example", _("Example from practice")),
        ],
        default="key_points",
    )
    title = blocks.CharBlock(label=_("Title"), required=False, max_length=200)
    text = blocks.RichTextBlock(label=_("Text"), features=["bold", "italic", "ol", "ul", "link"])

    class Meta:
        icon = "pick"
        template = "blocks/callout_block.html"

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        context["kind_label"] = dict(self.child_blocks["kind"].field.choices)[value["kind"]]
        return context


class LessonStreamBlock(BaseStreamBlock):
    video = VideoBlock(label=_("Video"))
    document = DocumentBlock(label=_("Document"))
    callout = CalloutBlock(label=_("Callout"))
    table = TableBlock(label=_("Table"), template="blocks/table_block.html")
