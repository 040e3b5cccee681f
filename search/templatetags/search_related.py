"""The case-study page's "related case studies" panel (search.related), called from its template."""

from django import template

from ..related import related_case_studies as _related_case_studies

register = template.Library()


@register.simple_tag
def related_case_studies(page, limit: int = 4):
    """The case studies related to a published one (none for drafts and previews)."""
    if not page.live:
        return []
    return _related_case_studies(page.pk, limit=limit)
