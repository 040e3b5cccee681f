"""From live case studies to search documents: what every engine indexes (search/models.py::SearchDocument)."""

import re
from dataclasses import dataclass, field

from django.db.models import Prefetch

from casestudies.models import CaseStudyIndicator, CaseStudyPage, RegionPage, Replication
from casestudies.replication_outcomes import successful_replications
from casestudies.selectors import case_studies_public
from cms.sanitize import plain_text

from .text import analyze, indicator_terms, normalize


@dataclass
class IndexedDocument:
    """One case study, analysed: the SearchDocument row plus its indicator and tag rows."""

    values: dict  # SearchDocument field → value
    indicator_rows: list[dict] = field(default_factory=list)  # indicator, aspect, domain, verified
    tag_names: list[str] = field(default_factory=list)

    @property
    def page_id(self) -> int:
        return self.values["page_id"]


BLOCK_END = re.compile(r"(</(?:p|li|h[1-6]|div|tr|td|th|blockquote)>|<br\s*/?>)", re.IGNORECASE)


def _spaced(html: str) -> str:
    """A space after every block end, so "<li>aduan.</li><li>Menghubungkan" reads as two sentences once stripped."""
    return BLOCK_END.sub(r"\1 ", html or "")


def _strings(value):
    """Every string inside a StreamField's raw data (block types and ids skipped)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            if key not in ("type", "id"):
                yield from _strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)


def pages_to_index():
    """The public case studies (casestudies.selectors.case_studies_public: live, not view-restricted, not under an
    unpublished page) with everything a document needs, in a fixed number of queries."""
    claims = CaseStudyIndicator.objects.select_related("indicator__aspect__domain").order_by("sort_order", "pk")
    return case_studies_public().prefetch_related(Prefetch("indicator_claims", queryset=claims), "tags").order_by("pk")


def province_of(region):
    """The province a document names: the region's own, or the region itself when it is a province."""
    if region.province_id:
        return region.province
    return region if region.type == "provinsi" else None


def build_documents(pages) -> list[IndexedDocument]:
    """Analyse a batch of pages (from `pages_to_index()`)."""
    pages = list(pages)
    if not pages:
        return []
    regions = RegionPage.regions_of(pages)
    replicated = successful_replications(Replication.objects.filter(case_study__in=pages))
    documents = []
    for page in pages:
        region = regions.get(page.pk)
        if region is None:
            continue
        province = province_of(region)
        page_claims = list(page.indicator_claims.all())
        sections = [getattr(page, name) for name in CaseStudyPage.RICH_TEXT_FIELDS]
        text = " ".join(
            filter(
                None,
                [
                    *(plain_text(_spaced(s)) for s in sections),
                    *(plain_text(_spaced(s)) for s in _strings(page.body.raw_data)),
                ],
            )
        )
        tags = sorted({t.name for t in page.tags.all()})
        gains = [
            c.level_after - c.level_before
            for c in page_claims
            if c.verified and c.level_after is not None and c.level_before is not None
        ]
        documents.append(
            IndexedDocument(
                values={
                    "page_id": page.pk,
                    "title": page.title,
                    "external_id": page.external_id or "",
                    "summary": page.summary,
                    "text": text,
                    "url": page.url_path,  # replaced by the routed URL in search.indexing
                    "region_id": region.pk,
                    "region_code": region.code,
                    "region_name": region.name,
                    "region_type": region.type,
                    "province_code": province.code if province else "",
                    "province_name": province.name if province else "",
                    "year_start": page.year_start,
                    "status": page.status,
                    "first_published_at": page.first_published_at,
                    "verified_gain": max(gains) if gains else None,
                    "successful_replications": replicated.get(page.pk, 0),
                    "aspect_set": ",".join(str(n) for n in sorted({c.indicator.aspect.number for c in page_claims})),
                    "domain_set": ",".join(
                        str(n)
                        for n in sorted(
                            {c.indicator.aspect.domain.number for c in page_claims if c.indicator.aspect.domain_id}
                        )
                    ),
                    "is_demo": page.is_demo,
                    "indicators": [
                        [c.indicator.number, c.indicator.name_id, c.indicator.name_en, c.verified] for c in page_claims
                    ],
                    "tag_names": tags,
                    "title_terms": analyze(page.title),
                    "indicator_terms": " ".join(
                        indicator_terms(c.indicator.number, f"{c.indicator.name_id} {c.indicator.name_en}")
                        for c in page_claims
                    ),
                    "tag_terms": analyze(" ".join(tags)),
                    "summary_terms": analyze(page.summary),
                    "region_terms": analyze(region.name),
                    "body_terms": analyze(text),
                    "title_words": " ".join(
                        [normalize(page.title), *(normalize(c.indicator.name_id) for c in page_claims)]
                    ),
                },
                indicator_rows=[
                    {
                        "indicator": c.indicator.number,
                        "aspect": c.indicator.aspect.number,
                        "domain": c.indicator.aspect.domain.number if c.indicator.aspect.domain_id else None,
                        "verified": c.verified,
                    }
                    for c in page_claims
                ],
                tag_names=[t.lower() for t in tags],
            )
        )
    return documents
