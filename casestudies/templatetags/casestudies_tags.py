"""What the library's pages show beyond their own fields: the reads (casestudies.selectors, peers, staleness, scores)
called from the page templates, so that the page models stay data and Wagtail configuration.

Each tag is used as `{% tag … as name %}` and returns what the page's `get_context` used to put in the context."""

from urllib.parse import quote

from django import template
from django.urls import reverse

from ..learning_paths import artefacts, current_level, learning_path, region_to_learn_for
from ..models import Framework
from ..peers import peers_for
from ..scores.selectors import climbers_context
from ..scores.targets import Target
from ..selectors import (
    case_studies_for_indicators,
    case_studies_live,
    framework_tree,
    home_page_context,
    questions_published_on,
    region_of_user,
    region_pages_with_counts,
    regions_that_can_answer,
    replications_of,
)
from ..services import follows_of
from ..staleness import staleness_of

register = template.Library()


@register.simple_tag
def region_pages(index_page):
    """The public region pages under the regions index, with their case-study counts."""
    return region_pages_with_counts(index_page=index_page)


@register.simple_tag
def region_case_studies(region_page):
    """A region page's public case studies, newest first."""
    return case_studies_live().child_of(region_page).order_by("-first_published_at")


@register.simple_tag
def home_case_studies() -> dict:
    """The home page's collections, newest case studies, counts and SPBE domains."""
    return home_page_context()


@register.simple_tag(takes_context=True)
def climbers(context, framework, scope: str, number: int):
    """The 'Paling meningkat' lists of one node of the framework (None without a framework), with the province
    filter of the request's `?provinsi=`."""
    if not framework:
        return None
    return climbers_context(framework, scope, number, context["request"].GET.get("provinsi"))


@register.simple_tag(takes_context=True)
def index_climbers(context):
    """The 'Paling meningkat' lists of the SPBE index under the current framework (None without one)."""
    return climbers(context, Framework.current(), "index", 0)


@register.simple_tag
def indicator_tree(framework):
    """The current framework's domains, aspects and indicators with their case-study counts."""
    return framework_tree(framework)


@register.simple_tag
def indicator_case_studies(indicators):
    """The public case studies claiming any of these indicators, newest first."""
    return case_studies_for_indicators(indicators)


@register.simple_tag
def aspect_peers(page, claims):
    """{aspect, peers}: the regions that rose on the aspect of a case study's first claim (None when the page has
    no region or no claim)."""
    region = page.region
    if region is None or not claims:
        return None
    primary = claims[0].indicator
    return {
        "aspect": primary.aspect,
        "peers": peers_for(region, Target("aspect", primary.aspect.number, primary.framework), limit=5),
    }


@register.simple_tag(takes_context=True)
def case_study_replications(context, page) -> dict:
    """{replications, can_replicate, own} of a published case study: the regions that apply it (with what came of
    it), whether the visitor's own region (an officer's) may record that it applies it too, or its own record."""
    if not page.live:
        return {"replications": [], "can_replicate": False}
    replications = replications_of(page)
    user_region = region_of_user(context["request"].user)
    own = next((r for r in replications if user_region and r.region_id == user_region.pk), None)
    can_replicate = bool(user_region and user_region != page.region and own is None)
    return {"replications": replications, "can_replicate": can_replicate, "own": own}


@register.simple_tag(takes_context=True)
def case_study_questions(context, page) -> dict:
    """{published, ask_url, login_url} of a published case study: its published questions and answers, and where
    the visitor asks its region a question (an officer of another region), or signs in first (anonymous). Nothing
    to ask when the region has no active officer to answer."""
    if not page.live:
        return {"published": [], "ask_url": None, "login_url": None}
    published = questions_published_on(page)
    if page.region is None or page.region.pk not in regions_that_can_answer():
        return {"published": published, "ask_url": None, "login_url": None}
    user = context["request"].user
    ask = reverse("question_ask_case_study", args=[page.pk])
    ask_url = login_url = None
    if not user.is_authenticated:
        login_url = f"{reverse('wagtailadmin_login')}?next={quote(ask)}"
    elif (region := region_of_user(user)) is not None and page.region is not None and region != page.region:
        ask_url = ask
    return {"published": published, "ask_url": ask_url, "login_url": login_url}


@register.simple_tag(takes_context=True)
def step_questions(context) -> dict:
    """{region, answering}: the signed-in officer's region, which may ask other regions (None for anyone else),
    and the regions with an officer to answer (ids)."""
    region = region_of_user(context["request"].user)
    return {"region": region, "answering": regions_that_can_answer() if region else set()}


@register.simple_tag
def case_study_staleness(page):
    """How stale a published case study is (None for drafts and previews)."""
    if not page.live:
        return None
    return next(iter(staleness_of([page])), None)


@register.simple_tag(takes_context=True)
def indicator_path(context, indicator) -> dict:
    """{steps, region, current_level}: the four steps of an indicator's learning path (casestudies.learning_paths),
    and the visitor's region with its latest level on the indicator (the step to take next is highlighted)."""
    region, _unknown = region_to_learn_for(context["request"])
    return {
        "steps": learning_path(indicator, region=region),
        "region": region,
        "current_level": current_level(region, indicator) if region else None,
    }


@register.simple_tag(takes_context=True)
def indicator_step(context, indicator, start) -> dict:
    """{step, region, unknown_region, artefacts} of one step page, ordered for the visitor's region."""
    region, unknown = region_to_learn_for(context["request"])
    step = learning_path(indicator, region=region, steps=[start])[0]
    return {"step": step, "region": region, "unknown_region": unknown, "artefacts": artefacts(step)}


@register.simple_tag
def case_studies_outside_steps(indicator, steps) -> list:
    """The indicator's public case studies that cover none of its steps (no levels claimed, or no rise)."""
    covered = {c.page.pk for step in steps for c in step.case_studies}
    return [cs for cs in case_studies_for_indicators([indicator]) if cs.pk not in covered]


@register.simple_tag(takes_context=True)
def is_followed(context, *, indicator=None, region=None) -> bool:
    """Whether the signed-in visitor follows this indicator or region (casestudies.digests)."""
    follows = follows_of(context["request"].user)
    if indicator is not None:
        return indicator.number in follows["indicators"]
    return region is not None and region.code in follows["regions"]
