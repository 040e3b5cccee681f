"""Demo content for `make demo`: users, collections and ≥ 80 case studies, all marked as demo data."""

import os
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.test.utils import override_settings

from wagtail.models import Site

from cms.models import SiteSettings

from .exchange import import_file
from .models import (
    CaseStudyPage,
    FeaturedCollection,
    FeaturedCollectionItem,
    IndicatorScore,
    Question,
    Region,
    RegionPage,
)
from .questions import question_answer, question_ask, question_publish
from .reference_data import load_all
from .scores.demo import load_demo_scores
from .services import admin_language_set, moderator_create, officer_create, site_structure_ensure

DEMO_DIR = Path(__file__).resolve().parent / "demo"
# Left unpublished and submitted to moderation, so the moderation queue has work in it.
PENDING = {"demo-a-002", "demo-b-004"}
COLLECTIONS = [
    (
        "Tanda tangan elektronik dan e-office",
        "Dari surat kertas ke naskah dinas elektronik bertanda tangan sah.",
        ["tte", "e-office"],
    ),
    (
        "Satu Data dan data terbuka",
        "Daerah yang menata data sektoral dan membukanya untuk publik.",
        ["satu data", "open data", "data terbuka"],
    ),
    (
        "Keamanan informasi",
        "CSIRT daerah, manajemen risiko, dan audit keamanan.",
        ["keamanan informasi", "csirt", "manajemen risiko"],
    ),
]


def demo_password() -> str:
    return os.environ.get("DEMO_PASSWORD", "livinglab-demo")


@transaction.atomic
def demo_users() -> list[tuple[str, str]]:
    """(username, role) of the demo accounts; created once, never duplicated."""
    User = get_user_model()
    password = demo_password()
    accounts = []
    if not User.objects.filter(username="admin").exists():
        User.objects.create_superuser("admin", "admin@livinglab.example", password, first_name="Admin")
    accounts.append(("admin", "administrator"))
    if not User.objects.filter(username="moderator").exists():
        moderator_create(
            username="moderator", email="moderator@livinglab.example", password=password, first_name="Rina"
        )
    admin_language_set(user=User.objects.get(username="moderator"))  # also for accounts made before it was set
    accounts.append(("moderator", "moderator"))
    for username, code, first_name in (("petugas-sumedang", "32.11", "Asep"), ("petugas-indramayu", "32.12", "Dewi")):
        if not User.objects.filter(username=username).exists():
            officer_create(
                region=Region.objects.get(code=code),
                username=username,
                email=f"{username}@livinglab.example",
                password=password,
                first_name=first_name,
            )
        admin_language_set(user=User.objects.get(username=username))
        accounts.append((username, f"officer of {Region.objects.get(code=code).name}"))
    return accounts


class DemoRefused(Exception):
    """Demo data asked for where it must never go (production settings)."""


def load_demo(*, progress=None) -> dict:
    """Reference data, structure, demo accounts, case studies and indicator levels.

    Run again, it adds only what is missing: pages edited on the site since, and demo levels already there, are
    kept as they are. Refused under production settings (a public password, a demo banner, invented scores).
    """
    if not settings.LIVINGLAB_DEMO_DATA_ALLOWED:
        raise DemoRefused(
            "load_demo_data refuses to run under production settings: it creates accounts with the public demo "
            "password and invented scores. Use load_reference_data and import_casestudies on a real site."
        )
    load_all()
    structure = site_structure_ensure()
    accounts = demo_users()
    reports = {}
    for path in sorted(DEMO_DIR.glob("case_studies_*.jsonl")):
        reports[path.name] = import_file(
            path, publish=True, demo=True, progress=progress, keep_unpublished=PENDING, keep_existing=True
        )
    _submit_pending()
    _collections()
    _questions()
    score_rows = 0 if IndicatorScore.objects.filter(is_demo=True).exists() else load_demo_scores()
    site_settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    site_settings.demo_banner = True
    site_settings.save()
    return {"accounts": accounts, "imports": reports, "home": structure["home"], "score_rows": score_rows}


def _submit_pending() -> None:
    """Submit the PENDING demo drafts to moderation, as their region's officer would."""
    User = get_user_model()
    for page in CaseStudyPage.objects.filter(external_id__in=PENDING, live=False):
        officer = User.objects.filter(groups=page.get_parent().specific.officers_group).first()
        if officer is None:
            region = page.get_parent().specific.region
            officer = officer_create(
                region=region,
                username=f"petugas-{region.code.replace('.', '-')}",
                email=f"petugas-{region.code}@livinglab.example",
                password=demo_password(),
            )
        if page.current_workflow_state is None:
            # No notification emails for demo set-up (the console backend would print them).
            with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
                page.get_workflow().start(page, officer)


# (question, answer or None): Indramayu asks Sumedang about its electronic-signature case study.
DEMO_QUESTIONS = [
    (
        "Berapa lama masa transisi sampai semua pejabat struktural memakai tanda tangan elektronik, dan apa yang "
        "paling sering menghambat?",
        "Sekitar enam bulan. Hambatan terbanyak justru administratif: sertifikat elektronik yang kedaluwarsa dan "
        "pejabat baru yang belum didaftarkan. Kami menyiapkan layanan pemulihan sertifikat satu hari di Diskominfo.",
    ),
    ("Apakah ada peraturan bupati khusus untuk naskah dinas elektronik yang bisa kami pelajari?", None),
]


def _questions() -> None:
    """Once: a published question and answer on a Sumedang case study, and one waiting in its workspace."""
    if Question.objects.exists():
        return
    User = get_user_model()
    asker, answerer = User.objects.get(username="petugas-indramayu"), User.objects.get(username="petugas-sumedang")
    moderator = User.objects.get(username="moderator")
    region_page = RegionPage.objects.filter(region__code="32.11").first()
    if region_page is None:
        return
    live = CaseStudyPage.objects.live().child_of(region_page).order_by("path")
    case_study = live.filter(title__icontains="tanda tangan elektronik").first() or live.first()
    if case_study is None:
        return
    asking, answering = Region.objects.get(code="32.12"), Region.objects.get(code="32.11")
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
        for text, answer in DEMO_QUESTIONS:
            question = question_ask(
                user=asker, asking_region=asking, case_study=case_study, text=text, name_asking_region=True
            )
            if answer:
                question_answer(question=question, user=answerer, user_region=answering, answer=answer)
                question_publish(question=question, user=moderator)


def _collections() -> None:
    live = CaseStudyPage.objects.live()
    for order, (title, description, tags) in enumerate(COLLECTIONS):
        collection, created = FeaturedCollection.objects.get_or_create(
            title=title, defaults={"description": description, "sort_order": order}
        )
        if created:
            pages = live.filter(tags__name__in=tags).distinct().order_by("path")[:6]
            for i, page in enumerate(pages):
                FeaturedCollectionItem.objects.create(collection=collection, page=page, sort_order=i)
