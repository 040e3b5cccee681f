"""Admin: regions, the SPBE taxonomy and curated collections as snippets."""

from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import Aspect, Domain, FeaturedCollection, Indicator, Region


class RegionViewSet(SnippetViewSet):
    model = Region
    icon = "site"
    menu_label = _("Daerah")
    list_display = ["code", "name", "type", "province", "is_idsl_pilot"]
    list_filter = ["type", "is_idsl_pilot"]
    search_fields = ["name", "code"]
    ordering = ["code"]
    panels = [FieldPanel("name"), FieldPanel("type"), FieldPanel("province"), FieldPanel("is_idsl_pilot")]


class DomainViewSet(SnippetViewSet):
    model = Domain
    icon = "folder-open-inverse"
    menu_label = _("Domain")
    list_display = ["number", "name_id", "weight", "framework"]
    panels = [FieldPanel("name_id"), FieldPanel("name_en")]


class AspectViewSet(SnippetViewSet):
    model = Aspect
    icon = "folder-open-1"
    menu_label = _("Aspek")
    list_display = ["number", "name_id", "domain", "weight"]
    panels = [FieldPanel("name_id"), FieldPanel("name_en")]


class IndicatorViewSet(SnippetViewSet):
    model = Indicator
    icon = "tag"
    menu_label = _("Indikator")
    list_display = ["number", "name_id", "aspect", "weight"]
    list_filter = ["aspect"]
    search_fields = ["name_id", "official_name"]
    panels = [FieldPanel("name_id"), FieldPanel("name_en")]


class TaxonomyGroup(SnippetViewSetGroup):
    menu_label = _("Taksonomi SPBE")
    menu_icon = "list-ul"
    menu_order = 300
    items = (DomainViewSet, AspectViewSet, IndicatorViewSet, RegionViewSet)


class FeaturedCollectionViewSet(SnippetViewSet):
    model = FeaturedCollection
    icon = "pick"
    menu_label = _("Koleksi pilihan")
    menu_order = 250
    add_to_admin_menu = True
    list_display = ["title", "show_on_home", "sort_order"]


register_snippet(TaxonomyGroup)
register_snippet(FeaturedCollectionViewSet)
