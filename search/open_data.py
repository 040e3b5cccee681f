"""Open data: RSS/Atom feeds of new case studies (all, per indicator, per region) and a CSV of every published
case study with its indicators. Read from the search documents (one row per live case study, already flat), so a
feed or the whole CSV costs a couple of queries whatever the number of case studies. Every link is on the public
address (`cms.public_urls`), never on the Host header the request came with."""

import csv
from collections import defaultdict

from django.contrib.syndication.views import Feed
from django.http import Http404, StreamingHttpResponse
from django.utils.feedgenerator import Atom1Feed
from django.views.decorators.http import require_GET

from casestudies.models import Framework, Indicator, Region, Replication
from casestudies.models.regions import REGION_CODE
from cms.public_urls import public_url
from cms.rate_limits import rate_limit
from cms.spreadsheet_csv import spreadsheet_row

from .models import SearchText

FEED_ITEMS = 50
CSV_COLUMNS = (
    "external_id", "title", "url", "region_code", "region_name", "province", "year_start", "status", "indicators",
    "indicator_names", "tags", "verified_gain", "first_published_at", "summary", "replicated_by",
)  # fmt: skip


def published():
    return SearchText.objects.select_related("document").order_by("-document__first_published_at", "-document_id")


class CaseStudyFeed(Feed):
    """Newest case studies (RSS 2.0); subclasses narrow it by indicator or region."""

    title = "Living Lab SPBE — praktik baik terbaru"
    description = "Praktik baik SPBE terbaru dari pemerintah daerah di Indonesia (Living Lab, IDSL)."

    # Django's Feed puts relative links on the request's host; these are absolute already (the public address).
    def link(self, obj=None):
        return public_url("/")

    def get_feed(self, obj, request):
        feed = super().get_feed(obj, request)
        feed.feed["feed_url"] = public_url(request.path)  # Django's default: the path on the request's host
        return feed

    def items(self, obj=None):
        return published()[:FEED_ITEMS]

    def item_title(self, item):
        return f"{item.title} ({item.region_name})"

    def item_description(self, item):
        return item.summary

    def item_link(self, item):
        return public_url(item.url)

    def item_guid(self, item):
        return f"livinglab-case-study-{item.document_id}"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.document.first_published_at

    def item_categories(self, item):
        return [f"Indikator {number}" for number, *_rest in item.indicators] + list(item.tag_names)


class CaseStudyAtomFeed(CaseStudyFeed):
    feed_type = Atom1Feed
    subtitle = CaseStudyFeed.description


class IndicatorFeed(CaseStudyFeed):
    def get_object(self, request, number):
        indicator = Indicator.objects.filter(framework=Framework.current(), number=number).first()
        if indicator is None:
            raise Http404("Unknown indicator")
        return indicator

    def title(self, obj):
        return f"Living Lab SPBE — Indikator {obj.number}: {obj.name_id}"

    def link(self, obj):
        return public_url(f"/cari/?indicator={obj.number}")

    def description(self, obj):
        return f"Praktik baik terbaru yang meningkatkan Indikator {obj.number} ({obj.name_id})."

    def items(self, obj):
        ids = obj.case_study_claims.values("page_id")
        return published().filter(document_id__in=ids)[:FEED_ITEMS]


class RegionFeed(CaseStudyFeed):
    def get_object(self, request, code):
        # only what a Kemendagri code looks like reaches the database (a NUL in the path was a 500 on PostgreSQL)
        region = Region.objects.filter(code=code).first() if REGION_CODE.fullmatch(code) else None
        if region is None:
            raise Http404("Unknown region code")
        return region

    def title(self, obj):
        return f"Living Lab SPBE — praktik baik {obj.name}"

    def link(self, obj):
        return public_url(f"/cari/?region={obj.code}")

    def description(self, obj):
        return f"Praktik baik terbaru dari {obj.name}."

    def items(self, obj):
        return published().filter(document__region=obj)[:FEED_ITEMS]


class _Echo:
    def write(self, value):
        return value


def _rows():
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(CSV_COLUMNS)  # BOM: spreadsheet programs then read UTF-8 correctly
    replicators = defaultdict(list)
    for page_id, code in Replication.objects.order_by("region__code").values_list("case_study_id", "region__code"):
        replicators[page_id].append(code)
    for item in published().iterator(chunk_size=1000):
        d = item.document
        yield writer.writerow(spreadsheet_row(
            [item.external_id, item.title, public_url(item.url), d.region_code, item.region_name,
             item.province_name, d.year_start, d.status, ";".join(str(n) for n, *_ in item.indicators),
             "; ".join(name for _n, name, *_ in item.indicators), "; ".join(item.tag_names),
             "" if d.verified_gain is None else d.verified_gain,
             d.first_published_at.isoformat() if d.first_published_at else "", item.summary,
             ";".join(replicators.get(item.document_id, []))]
        ))  # fmt: skip


@require_GET
def case_studies_csv(request):
    if refused := rate_limit(request, "csv"):
        return refused
    response = StreamingHttpResponse(_rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="livinglab-praktik-baik.csv"'
    return response
