"""Blocks for lesson bodies: the public blocks plus what teaching material needs."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.contrib.table_block.blocks import TableBlock
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock

from cms.blocks import BaseStreamBlock


class VideoBlock(blocks.StructBlock):
    """A video that also works for someone who cannot play it on a slow connection."""

    video = EmbedBlock(label=_("Video address"), max_width=800)
    title = blocks.CharBlock(label=_("Title"), max_length=200)
    transcript = blocks.RichTextBlock(
        label=_("Text alternative"),
        features=["bold", "italic", "ol", "ul", "link"],
        help_text=_("A transcript or summary for people who cannot watch the video."),
    )
    download_url = blocks.URLBlock(label=_("Download link"), required=False)

    class Meta:
        icon = "media"
        template = "blocks/video_block.html"


class DocumentBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("Document"))
    title = blocks.CharBlock(label=_("Title"), required=False, max_length=200)

    class Meta:
        icon = "doc-full"
        template = "blocks/document_block.html"


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
