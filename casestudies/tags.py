"""Free tags of case studies: how many case studies carry each (live and in drafts), which tags look like one
another ("e-office", "eoffice", "E-Office"), and the one write that merges or renames them (`tags_merge`).

Tags are django-taggit's shared `taggit.Tag` rows, attached to case studies through `CaseStudyTag`
(modelcluster's ClusterTaggableManager). A case study's tags live in two places:
- its `CaseStudyTag` rows: what is published (and, for a page never published, its first draft);
- every revision's JSON (`content["tagged_items"]`: `{"pk", "tag": <tag id>, "content_object": <page id>}`), which
  the editor loads when a draft is newer than the live page, and which a revert restores.
A merge rewrites both, so that editing a draft or reverting to an old revision never brings the old tag back (nor
points at a tag that no longer exists). Images and documents may share a `Tag`: those keep theirs.
"""

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from wagtail.log_actions import log
from wagtail.models import Revision

from taggit.models import Tag

from cms.data_version import data_changed

from .models import CaseStudyPage, CaseStudyTag
from .signals import case_studies_changed

LOG_MERGE = "livinglab.tag.merge"
LOG_RENAME = "livinglab.tag.rename"
NAME_MAX = Tag._meta.get_field("name").max_length
NOT_ALNUM = re.compile(r"[^0-9a-z]+")


def tag_key(name: str) -> str:
    """What two spellings of one tag share: casefolded, accents dropped, spaces, hyphens and punctuation removed
    ("E-Office", "e office", "eoffice" → "eoffice")."""
    decomposed = unicodedata.normalize("NFKD", name or "")
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    return NOT_ALNUM.sub("", plain)


@dataclass
class TagUsage:
    """One tag and the case studies that carry it: published, and in a draft not yet published."""

    tag: Tag
    live: int = 0
    draft: int = 0

    @property
    def total(self) -> int:
        return self.live + self.draft


def _case_study_revisions():
    return Revision.objects.filter(content_type=ContentType.objects.get_for_model(CaseStudyPage))


def _revision_tag_ids(content: dict) -> set[int]:
    return {item.get("tag") for item in content.get("tagged_items") or () if isinstance(item, dict)} - {None}


def _draft_tag_pages() -> dict[int, set[int]]:
    """tag id → the case studies whose newest draft (not yet published) carries it."""
    pages = defaultdict(set)
    drafts = CaseStudyPage.objects.filter(has_unpublished_changes=True).values("latest_revision_id")
    for revision in _case_study_revisions().filter(pk__in=drafts).only("pk", "object_id", "content").iterator():
        for tag_id in _revision_tag_ids(revision.content):
            pages[tag_id].add(int(revision.object_id))
    return pages


def tag_usage() -> list[TagUsage]:
    """Every tag on a case study (live or in a draft) with its counts, by name (case-insensitive)."""
    live = dict(
        CaseStudyTag.objects.filter(content_object__live=True)
        .values_list("tag")
        .annotate(n=Count("content_object", distinct=True))
    )
    drafts = _draft_tag_pages()
    tags = Tag.objects.filter(pk__in=set(live) | set(drafts)).order_by(Lower("name"), "name")
    return [TagUsage(tag=tag, live=live.get(tag.pk, 0), draft=len(drafts.get(tag.pk, ()))) for tag in tags]


def near_duplicates(usages: list[TagUsage]) -> list[list[TagUsage]]:
    """Groups of two or more tags with the same `tag_key`, the most used first in each group (the merge target
    suggested), groups by their first tag's name."""
    groups = defaultdict(list)
    for usage in usages:
        groups[tag_key(usage.tag.name)].append(usage)
    found = [
        sorted(group, key=lambda u: (-u.total, u.tag.name)) for key, group in groups.items() if key and len(group) > 1
    ]
    return sorted(found, key=lambda group: group[0].tag.name.casefold())


def tag_name_clean(name: str) -> str:
    """A tag name as the editor's tag field accepts it, or ValidationError (Indonesian message)."""
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError(_("Tulis nama tag."))
    if len(name) > NAME_MAX:
        raise ValidationError(_("Nama tag paling panjang %(max)d karakter.") % {"max": NAME_MAX})
    if any(ch in name for ch in ',"'):
        raise ValidationError(_("Nama tag tidak boleh memuat koma atau tanda kutip."))
    return name


def _target_for(name: str) -> Tag | None:
    return Tag.objects.filter(name=name).first() or Tag.objects.filter(name__iexact=name).first()


@dataclass
class MergePlan:
    """What a merge would do: the sources, the target's name (and whether it exists), the case studies whose tags
    change (moved to the target, or the target's spelling changed), live or in their newest draft."""

    sources: list[Tag]
    name: str
    target: Tag | None
    page_ids: set[int] = field(default_factory=set)

    @property
    def moved(self) -> list[Tag]:
        """The sources that go into the target (all of them but the target itself)."""
        return [t for t in self.sources if self.target is None or t.pk != self.target.pk]

    @property
    def is_rename(self) -> bool:
        return len(self.sources) == 1 and (self.target is None or self.target == self.sources[0])


def tags_merge_plan(*, sources: list[Tag], name: str) -> MergePlan:
    """Check a merge or rename before anything is written (ValidationError with an Indonesian message)."""
    name = tag_name_clean(name)
    sources = sorted(set(sources), key=lambda t: t.name.casefold())
    if not sources:
        raise ValidationError(_("Pilih setidaknya satu tag."))
    target = _target_for(name)
    if len(sources) == 1 and sources[0].name == name:
        raise ValidationError(_("Nama baru sama dengan nama lama: tidak ada yang berubah."))
    moved = {t.pk for t in sources} - ({target.pk} if target else set())
    respelled = {target.pk} if target and target.name != name else set()
    return MergePlan(sources=sources, name=name, target=target, page_ids=_carrying(moved | respelled))


def _carrying(tag_ids: set[int]) -> set[int]:
    """The case studies that carry one of these tags, live or in their newest draft."""
    if not tag_ids:
        return set()
    page_ids = set(CaseStudyTag.objects.filter(tag__in=tag_ids).values_list("content_object_id", flat=True))
    for tag_id, pages in _draft_tag_pages().items():
        if tag_id in tag_ids:
            page_ids |= pages
    return page_ids


def _still_used(tag: Tag) -> bool:
    """Whether anything (an image, a document, a case study) still carries this tag."""
    for relation in Tag._meta.related_objects:
        if relation.related_model._default_manager.filter(**{relation.field.name: tag}).exists():
            return True
    return False


def _rewrite_revision(content: dict, source_ids: set[int], target_id: int) -> bool:
    items = content.get("tagged_items")
    if not items or not any(isinstance(i, dict) and i.get("tag") in source_ids for i in items):
        return False
    kept, seen = [], set()
    for item in items:
        if isinstance(item, dict) and item.get("tag") in source_ids:
            item = {**item, "tag": target_id}
        tag_id = item.get("tag") if isinstance(item, dict) else None
        if tag_id is not None and tag_id in seen:
            continue  # the page carried the target already: once is enough
        seen.add(tag_id)
        kept.append(item)
    content["tagged_items"] = kept
    return True


@dataclass
class MergeResult:
    target: Tag
    page_ids: set[int]
    live_page_ids: set[int]
    revisions: int
    removed: list[str]


@transaction.atomic
def tags_merge(*, sources: list[Tag], name: str, user) -> MergeResult:
    """Merge `sources` into the tag named `name` (made if missing; with one source and a new name: a rename).

    Every case study that carried a source — its live rows and every revision, drafts included — carries the
    target instead (once). Sources nothing else uses are deleted; the target takes `name`'s spelling. Each case
    study touched gets an entry in its history (Wagtail's audit log), the target tag one for the whole step, and the
    live ones are re-indexed (`case_studies_changed`: the database engine and Elasticsearch). All or nothing."""
    plan = tags_merge_plan(sources=sources, name=name)
    action = LOG_RENAME if plan.is_rename else LOG_MERGE
    target = plan.target or Tag.objects.create(name=plan.name)
    others = [t for t in plan.sources if t.pk != target.pk]
    source_ids = {t.pk for t in others}
    names = {"from": [t.name for t in plan.sources], "to": plan.name}

    rows = CaseStudyTag.objects.filter(tag__in=source_ids)
    touched = set(plan.page_ids)  # with the pages whose tag only changes its spelling
    already = set(
        CaseStudyTag.objects.filter(tag=target, content_object__in=touched).values_list("content_object_id", flat=True)
    )
    rows.filter(content_object__in=already).delete()
    rows.update(tag=target)
    # Two sources on one page (both spellings were there): keep one row per page.
    duplicates = (
        CaseStudyTag.objects.filter(tag=target, content_object__in=touched)
        .values("content_object_id")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
    )
    for duplicate in duplicates:
        keep = CaseStudyTag.objects.filter(tag=target, content_object_id=duplicate["content_object_id"]).order_by("pk")
        CaseStudyTag.objects.filter(pk__in=list(keep.values_list("pk", flat=True)[1:])).delete()

    revisions = 0
    for revision in _case_study_revisions().only("pk", "object_id", "content").iterator(chunk_size=500):
        content = revision.content
        if _rewrite_revision(content, source_ids, target.pk):
            Revision.objects.filter(pk=revision.pk).update(content=content)
            touched.add(int(revision.object_id))
            revisions += 1

    removed = []
    for tag in others:
        if not _still_used(tag):
            removed.append(tag.name)
            tag.delete()
    if target.name != plan.name:  # the spelling asked for ("E-Office" for "e-office"); no other tag has it now
        target.name = plan.name
        target.save(update_fields=["name"])

    pages = CaseStudyPage.objects.filter(pk__in=touched).only("pk", "title", "live", "content_type", "path", "depth")
    live_ids = set()
    for page in pages:
        log(instance=page, action=action, user=user, data=names)
        if page.live:
            live_ids.add(page.pk)
    log(instance=target, action=action, user=user, data={**names, "pages": len(touched), "revisions": revisions})
    data_changed()
    if live_ids:
        case_studies_changed.send(sender=CaseStudyPage, page_ids=live_ids)
    return MergeResult(target=target, page_ids=touched, live_page_ids=live_ids, revisions=revisions, removed=removed)
