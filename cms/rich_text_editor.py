"""The admin's rich-text editor (Draftail) with the sanitizer on both sides of it.

Configured for every rich-text field and block by WAGTAILADMIN_RICH_TEXT_EDITORS (livinglab/settings/base.py).
- What the editor posts (Draftail's contentstate JSON, converted by Wagtail to its internal HTML) is sanitized
  before any form, page or revision sees it: a hand-made contentstate with a page link `{"id": "abc"}` or an image
  of an unknown format cannot reach a revision, which the preview and the moderator read as they are.
- What the editor opens is sanitized too, so HTML that reached the database around the sanitizer (an old import,
  a migration, a shell) still opens: Wagtail's converter trusts the ids it finds and would answer 500.
- A contentstate that is not JSON, or not contentstate, is treated as a field the form did not send (Django's
  rule for a missing field) instead of an error page: no browser sends one; a script that does gets the form back.
"""

from wagtail.admin.rich_text import DraftailRichTextArea

from .sanitize import sanitize_richtext_source

UNREADABLE_CONTENTSTATE = (ValueError, TypeError, KeyError, AttributeError, IndexError)


class SanitizingDraftailRichTextArea(DraftailRichTextArea):
    """Draftail, reading and writing only HTML that has passed cms.sanitize.sanitize_richtext_source."""

    def format_value(self, value):
        return super().format_value(sanitize_richtext_source(getattr(value, "source", value)))

    def value_from_datadict(self, data, files, name):
        try:
            html = super().value_from_datadict(data, files, name)
        except UNREADABLE_CONTENTSTATE:
            return None
        return None if html is None else sanitize_richtext_source(html)
