from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path
from django.views.i18n import set_language

from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from casestudies import chooser_views, follow_views, onboarding_views, report_views
from cms.sitemaps import PublicSitemap
from livinglab import api_v1
from livinglab.api import api_router
from search import open_data
from search import views as search_views

urlpatterns = [
    path("api/v1/", api_v1.urls()),
    path("healthz", search_views.healthz, name="healthz"),
    path("feeds/praktik-baik/", open_data.CaseStudyFeed(), name="feed-case-studies"),
    path("feeds/praktik-baik/atom/", open_data.CaseStudyAtomFeed(), name="feed-case-studies-atom"),
    path("feeds/indikator/<int:number>/", open_data.IndicatorFeed(), name="feed-indicator"),
    path("feeds/daerah/<str:code>/", open_data.RegionFeed(), name="feed-region"),
    path("data/praktik-baik.csv", open_data.case_studies_csv, name="case-studies-csv"),
    path("api/v2/", api_router.urls),
    # The link in an officer's invitation e-mail (Indonesian; outside the admin, which asks to sign in first).
    path("undangan/<str:uidb64>/<str:token>/", onboarding_views.invitation_accept, name="officer-invitation"),
    # The page chooser scoped to what the user may see, over Wagtail's own chooser routes (casestudies/chooser_views.py).
    path("admin/", include(chooser_views.urlpatterns)),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("sitemap.xml", sitemap, {"sitemaps": {"pages": PublicSitemap}}),
]

handler404 = api_v1.not_found

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Public pages: Indonesian at /, English under /en/ (Django i18n). The language switch lives inside the
# prefixed patterns so it knows the language of the page it was posted from and can translate its URL.
urlpatterns += i18n_patterns(
    path("i18n/setlang/", set_language, name="set_language"),
    path("cari/", search_views.search_page, name="search"),
    path("laporkan/<int:page_id>/", report_views.report_page, name="report-case-study"),
    path("laporkan/tanya-jawab/<int:question_id>/", report_views.report_question, name="report-question"),
    path("ikuti/", follow_views.follow, name="follow"),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)
