"""Writes: site structure, region onboarding and officer accounts (each one transaction)."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils.text import slugify

from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Site,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)
from wagtail.users.models import UserProfile

from cms.models import HomePage

from .models import Follow, Indicator, IndicatorExplorerPage, Region, RegionPage, RegionsIndexPage

MODERATORS_GROUP = "Moderator"
WORKFLOW_NAME = "Moderasi praktik baik"
TASK_NAME = "Tinjauan moderator"

OFFICER_PAGE_PERMISSIONS = ("add_page", "change_page")
MODERATOR_PAGE_PERMISSIONS = ("add_page", "change_page", "publish_page", "bulk_delete_page", "lock_page", "unlock_page")
MEDIA_PERMISSIONS = ("add_document", "change_document", "choose_document", "add_image", "change_image", "choose_image")
MODERATOR_MODEL_PERMISSIONS = (
    ("casestudies", "add_featuredcollection"),
    ("casestudies", "change_featuredcollection"),
    ("casestudies", "delete_featuredcollection"),
    ("casestudies", "change_region"),
    ("casestudies", "change_indicator"),
    ("casestudies", "change_aspect"),
    ("casestudies", "change_domain"),
    ("casestudies", "view_contentreport"),
    ("casestudies", "change_contentreport"),
    ("casestudies", "delete_replication"),
    (
        "casestudies",
        "view_question",
    ),  # questions between regions: read, and publish useful ones (casestudies.questions)
    ("casestudies", "change_question"),
    ("search", "add_synonym"),
    ("search", "change_synonym"),
    ("search", "delete_synonym"),
    ("search", "view_querystat"),
    ("taggit", "change_tag"),  # the free-tag screen: merge and rename (casestudies.tag_views)
)


def _perm(codename: str, app_label: str | None = None) -> Permission:
    qs = Permission.objects.filter(codename=codename)
    if app_label:
        qs = qs.filter(content_type__app_label=app_label)
    return qs.get()


def _grant_pages(group: Group, page: Page, codenames) -> None:
    for codename in codenames:
        GroupPagePermission.objects.get_or_create(group=group, page=page, permission=_perm(codename, "wagtailcore"))


def _grant_collection(group: Group, collection: Collection, codenames) -> None:
    for codename in codenames:
        GroupCollectionPermission.objects.get_or_create(group=group, collection=collection, permission=_perm(codename))


@transaction.atomic
def site_structure_ensure() -> dict:
    """Create (once) Home → Regions index and Indicator explorer, the moderators group and the workflow."""
    root = Page.get_first_root_node()
    home = HomePage.objects.first()
    if home is None:
        home = root.add_child(
            instance=HomePage(
                title="Living Lab SPBE",
                slug="beranda",
                intro="<p>Living Lab adalah ruang berbagi praktik baik Sistem Pemerintahan Berbasis Elektronik (SPBE) "
                "antar pemerintah daerah: apa yang berhasil menaikkan indeks SPBE, dengan bukti, biaya, mitra, "
                "dan pelajarannya.</p>",
            )
        )
        Site.objects.update_or_create(is_default_site=True, defaults={"root_page": home, "site_name": "Living Lab"})
        # Wagtail's placeholder "Welcome" page is replaced by our home page.
        Page.objects.filter(depth=2).exclude(pk=home.pk).exclude(content_type=home.content_type).delete()
    site_address_apply()
    regions_index = RegionsIndexPage.objects.first() or home.add_child(
        instance=RegionsIndexPage(
            title="Praktik baik per daerah",
            slug="daerah",
            intro="<p>Praktik baik SPBE yang dibagikan pemerintah daerah, dikelompokkan per daerah.</p>",
        )
    )
    explorer = IndicatorExplorerPage.objects.first() or home.add_child(
        instance=IndicatorExplorerPage(title="Jelajahi per indikator SPBE", slug="indikator")
    )

    moderators, _created = Group.objects.get_or_create(name=MODERATORS_GROUP)
    moderators.permissions.add(_perm("access_admin", "wagtailadmin"))
    for app_label, codename in MODERATOR_MODEL_PERMISSIONS:
        moderators.permissions.add(_perm(codename, app_label))
    _grant_pages(moderators, home, MODERATOR_PAGE_PERMISSIONS)
    _grant_collection(
        moderators, Collection.get_first_root_node(), (*MEDIA_PERMISSIONS, "delete_document", "delete_image")
    )

    workflow, _created = Workflow.objects.get_or_create(name=WORKFLOW_NAME)
    task = GroupApprovalTask.objects.filter(name=TASK_NAME).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=TASK_NAME)
        task.groups.set([moderators])
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    WorkflowPage.objects.update_or_create(page=regions_index, defaults={"workflow": workflow})
    return {"home": home, "regions_index": regions_index, "explorer": explorer, "moderators": moderators}


def public_address() -> tuple[str, int]:
    """(hostname, port) of the configured public address (WAGTAILADMIN_BASE_URL), as Wagtail's Site holds it."""
    url = urlsplit(settings.WAGTAILADMIN_BASE_URL)
    return url.hostname or "localhost", url.port or (443 if url.scheme == "https" else 80)


def site_address_apply() -> None:
    """The default site answers at the configured public address, so absolute links (sitemap, feeds, e-mails,
    OpenGraph) name it instead of localhost. The environment is the one source of truth for it."""
    hostname, port = public_address()
    Site.objects.filter(is_default_site=True).exclude(hostname=hostname, port=port).update(hostname=hostname, port=port)


@transaction.atomic
def region_page_create(*, region: Region) -> RegionPage:
    """Give a region its page, its officers group (edit rights on that subtree only) and its media collection."""
    existing = RegionPage.objects.filter(region=region).first()
    if existing:
        return region_access_ensure(page=existing)
    regions_index = RegionsIndexPage.objects.first() or site_structure_ensure()["regions_index"]
    page = regions_index.add_child(
        instance=RegionPage(title=region.name, slug=slugify(f"{region.code} {region.name}"), region=region)
    )
    page.save_revision().publish()
    return region_access_ensure(page=page)


@transaction.atomic
def region_access_ensure(*, page: RegionPage) -> RegionPage:
    """The region page's officers group, with edit rights on that subtree only, and its media collection: made once,
    whichever route made the page (this service, the admin's add or copy, an import). Idempotent."""
    region = page.region
    group = page.officers_group
    if group is None:
        group, _created = Group.objects.get_or_create(name=f"Petugas {region.code} {region.name}"[:150])
        # A queryset update: no page save (no revision, no signal loop), whatever state the page is in.
        RegionPage.objects.filter(pk=page.pk).update(officers_group=group)
        page.officers_group = group
    group.permissions.add(_perm("access_admin", "wagtailadmin"))
    _grant_pages(group, page, OFFICER_PAGE_PERMISSIONS)
    _grant_collection(group, region_collection(region=region), MEDIA_PERMISSIONS)
    return page


def region_collection(*, region: Region) -> Collection:
    """The region's media collection (under the root collection), made on first use."""
    name = f"{region.code} {region.name}"[:255]
    root = Collection.get_first_root_node()
    return root.get_children().filter(name=name).first() or root.add_child(name=name)


@transaction.atomic
def officer_create(*, region: Region, username: str, email: str, password: str | None = None, **fields):
    """An account for a regional officer, in that region's officers group (creating the region page if needed)."""
    page = region_page_create(region=region)
    user = get_user_model().objects.create_user(username=username, email=email, password=password, **fields)
    user.groups.add(page.officers_group)
    admin_language_set(user=user)
    return user


@transaction.atomic
def moderator_create(*, username: str, email: str, password: str | None = None, **fields):
    moderators = site_structure_ensure()["moderators"]
    user = get_user_model().objects.create_user(username=username, email=email, password=password, **fields)
    user.groups.add(moderators)
    admin_language_set(user=user)
    return user


@transaction.atomic
def follow_set(*, user, following: bool, indicator: Indicator | None = None, region: Region | None = None) -> bool:
    """Follow (or stop following) one indicator or one region; idempotent. Returns whether the user follows it."""
    if (indicator is None) == (region is None):
        raise ValueError("follow exactly one indicator or one region")
    which = {"indicator": indicator} if indicator is not None else {"region": region}
    if following:
        Follow.objects.get_or_create(user=user, **which)
    else:
        Follow.objects.filter(user=user, **which).delete()
    return following


def follows_of(user) -> dict[str, set]:
    """{"indicators": numbers, "regions": codes} the user follows (empty for anonymous visitors)."""
    if not user.is_authenticated:
        return {"indicators": set(), "regions": set()}
    rows = Follow.objects.filter(user=user).values_list("indicator__number", "region__code")
    return {"indicators": {n for n, _c in rows if n}, "regions": {c for _n, c in rows if c}}


def admin_language_set(*, user) -> None:
    """The admin in Indonesian (LANGUAGE_CODE) for an officer or moderator who has not chosen a language.

    Without a preference Wagtail follows the request's language, so an English browser (or the public site's
    English switch) would turn their admin English. They can still choose English in their account settings.
    """
    profile = UserProfile.get_for_user(user)
    if not profile.preferred_language:
        profile.preferred_language = settings.LANGUAGE_CODE
        profile.save(update_fields=["preferred_language"])
