"""Blocks of news articles: photos with credits, galleries, embedded media and the
partners' contacts of a press release, on top of the shared blocks in ``base.blocks``."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.embeds.blocks import EmbedBlock

from base.blocks import BaseStreamBlock, DocumentBlock, FigureBlock


class CreditedFigureBlock(FigureBlock):
    """A news photo: the caption says what it shows, the credit who took it."""

    credit = blocks.CharBlock(label=_("Photo credit"), required=False, max_length=200)

    class Meta:
        icon = "image"
        template = "blocks/figure_block.html"


class GalleryBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Title"), required=False, max_length=200)
    images = blocks.ListBlock(CreditedFigureBlock(label=_("Photo")), min_num=2, max_num=24)

    class Meta:
        icon = "image"
        template = "blocks/gallery_block.html"


class EmbedFigureBlock(blocks.StructBlock):
    """Embedded media from a provider (a video, a post), with a link when it can't load."""

    embed = EmbedBlock(label=_("Address"), max_width=800)
    caption = blocks.CharBlock(label=_("Caption"), required=False, max_length=300)

    class Meta:
        icon = "media"
        template = "blocks/embed_block.html"


class ContactsBlock(blocks.StructBlock):
    """Partners and contacts at the end of a press release."""

    title = blocks.CharBlock(label=_("Title"), max_length=200)
    text = blocks.RichTextBlock(
        label=_("Text"), features=["bold", "italic", "link", "ul"], required=False
    )
    phone = blocks.CharBlock(label=_("Phone"), required=False, max_length=50)
    email = blocks.EmailBlock(label=_("E-mail"), required=False)
    website = blocks.URLBlock(label=_("Website"), required=False)

    class Meta:
        icon = "group"
        template = "blocks/contacts_block.html"


class ArticleStreamBlock(BaseStreamBlock):
    figure = CreditedFigureBlock(label=_("Image with caption and credit"))
    gallery = GalleryBlock(label=_("Gallery"))
    embed = EmbedFigureBlock(label=_("Embedded media"))
    document = DocumentBlock(label=_("Document"))
    contacts = ContactsBlock(label=_("Partners and contacts"))
