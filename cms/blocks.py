"""The one StreamField vocabulary every page body uses."""

from django.core.exceptions import ValidationError
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from wagtail import blocks
from wagtail.blocks import StreamValue
from wagtail.contrib.table_block.blocks import TableBlock
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock

from cms.sanitize import render_richtext


class SanitizedRichTextBlock(blocks.RichTextBlock):
    """Rich text whose rendered HTML always passes the sanitizer, whatever the database holds
    (cms.sanitize.render_richtext: a reference to a missing page, document or image renders as plain text)."""

    def render_basic(self, value, context=None):
        return mark_safe(render_richtext(getattr(value, "source", value)))  # noqa: S308


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("Gambar"))
    alt_text = blocks.CharBlock(label=_("Teks alternatif"), max_length=250)
    caption = blocks.CharBlock(label=_("Keterangan"), required=False, max_length=250)

    class Meta:
        icon = "image"
        template = "blocks/image_block.html"


class DocumentBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("Dokumen"))
    title = blocks.CharBlock(label=_("Judul tautan"), required=False, max_length=200)

    class Meta:
        icon = "doc-full"
        template = "blocks/document_block.html"


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("Kutipan"))
    attribution = blocks.CharBlock(label=_("Sumber kutipan"), required=False, max_length=200)

    class Meta:
        icon = "openquote"
        template = "blocks/quote_block.html"


class IncompleteStreamValue(StreamValue):
    """An editor's POST whose block fields are missing or garbled (no `body-count`, a count that is no number):
    empty, and refused by BaseStreamBlock.clean with a message, so the form is shown again instead of a 500."""


class BaseStreamBlock(blocks.StreamBlock):
    heading = blocks.CharBlock(
        label=_("Subjudul"), form_classname="title", icon="title", template="blocks/heading.html"
    )
    paragraph = SanitizedRichTextBlock(
        label=_("Paragraf"), features=["h3", "h4", "bold", "italic", "ol", "ul", "link", "document-link"]
    )
    image = ImageBlock(label=_("Gambar"))
    document = DocumentBlock(label=_("Dokumen"))
    quote = QuoteBlock(label=_("Kutipan"))
    table = TableBlock(label=_("Tabel"))
    embed = EmbedBlock(label=_("Video/sematan"), help_text=_("Tautan YouTube atau Vimeo"), icon="media")

    def value_from_datadict(self, data, files, prefix):
        try:
            return super().value_from_datadict(data, files, prefix)
        except (KeyError, ValueError, TypeError):
            return IncompleteStreamValue(self, [])

    def clean(self, value):
        if isinstance(value, IncompleteStreamValue):
            reason = _("Isi halaman tidak terkirim lengkap. Muat ulang halaman, lalu simpan lagi.")
            raise blocks.StreamBlockValidationError(non_block_errors=[ValidationError(reason)])
        return super().clean(value)
