"""Synonyms and acronyms as data (search.models.Synonym, edited by moderators): MPP = mal pelayanan publik.

Applied at query time on every engine: a query phrase that is one of a group's phrases becomes "any of the
group's phrases". Nothing is baked into the index, so an edit applies to the very next search.
"""

from django.db.models.signals import post_delete, post_save

from cms.data_version import cached, data_changed

from .models import Synonym
from .text import terms


def synonym_table() -> dict[tuple[str, ...], tuple[tuple[str, ...], ...]]:
    """phrase (as terms) → every phrase of its group (as terms), for all groups."""

    def build():
        table: dict[tuple[str, ...], set] = {}
        for synonym in Synonym.objects.all():
            group = {tuple(terms(p)) for p in synonym.phrases()} - {()}
            for phrase in group:
                table.setdefault(phrase, set()).update(group)
        return {phrase: tuple(sorted(group, key=lambda g: (len(g), g))) for phrase, group in table.items()}

    return cached("search-synonyms", build)


def longest_phrase() -> int:
    return cached("search-synonyms-longest", lambda: max((len(p) for p in synonym_table()), default=1))


def _changed(**kwargs):
    data_changed()


post_save.connect(_changed, sender=Synonym, dispatch_uid="search-synonyms-saved")
post_delete.connect(_changed, sender=Synonym, dispatch_uid="search-synonyms-deleted")
