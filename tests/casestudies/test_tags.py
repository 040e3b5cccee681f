"""The moderators' free-tag screen: counts, near-duplicates, merge and rename (drafts, search, audit log)."""

from django.urls import reverse

from wagtail.models import ModelLogEntry, PageLogEntry

from taggit.models import Tag

from casestudies.models import CaseStudyPage
from casestudies.tags import LOG_MERGE, LOG_RENAME, near_duplicates, tag_key, tag_usage, tags_merge
from search.backends.base import Filters
from search.service import SearchRequest, search
from tests.utils import PASSWORD, SiteTestCase, edit_url, make_case_study


def found(q="", **filters) -> set[int]:
    return {r.id for r in search(SearchRequest(q=q, filters=Filters(**filters), per_page=50), record=False).results}


def tagged(page, *names):
    page.tags.add(*names)
    page.save_revision().publish()
    return CaseStudyPage.objects.get(pk=page.pk)


class TagFixtures(SiteTestCase):
    def setUp(self):
        # Two published case studies with two spellings of one tag, and a live page whose newer draft adds a third.
        self.live_a = tagged(make_case_study(self.page_a, title="Naskah dinas elektronik"), "e-office", "tte")
        self.live_b = tagged(make_case_study(self.page_b, title="Persuratan tanpa kertas", indicators=(38,)), "eoffice")
        self.drafted = tagged(make_case_study(self.page_b, title="Arsip digital", indicators=(39,)), "arsip")
        self.drafted.tags.add(Tag.objects.create(name="E Office"))
        self.drafted.save_revision()  # a draft, not published: the live page has only "arsip"
        self.never_live = make_case_study(self.page_a, title="Disposisi daring", indicators=(40,), live=False)
        self.never_live.tags.add("eoffice")
        self.never_live.save_revision()

    def usage(self) -> dict[str, tuple[int, int]]:
        return {u.tag.name: (u.live, u.draft) for u in tag_usage()}

    def draft_tag_names(self, page) -> set[str]:
        draft = CaseStudyPage.objects.get(pk=page.pk).get_latest_revision_as_object()
        return {t.name for t in draft.tags.all()}


class TagUsageTests(TagFixtures):
    def test_counts_live_and_draft(self):
        self.assertEqual(
            self.usage(),
            {"arsip": (1, 1), "E Office": (0, 1), "e-office": (1, 0), "eoffice": (1, 1), "tte": (1, 0)},
        )

    def test_near_duplicates_are_grouped_most_used_first(self):
        self.assertEqual(tag_key("E-Office"), tag_key("e office"))
        self.assertEqual(tag_key("E.Office!"), "eoffice")
        self.assertNotEqual(tag_key("e-office"), tag_key("office"))
        groups = [[u.tag.name for u in group] for group in near_duplicates(tag_usage())]
        self.assertEqual(groups, [["eoffice", "E Office", "e-office"]])


class TagMergeTests(TagFixtures):
    def merge(self, names, name):
        return tags_merge(sources=list(Tag.objects.filter(name__in=names)), name=name, user=self.moderator)

    def test_merge_retags_live_pages_drafts_and_search(self):
        self.assertEqual(found(tags=("eoffice",)), {self.live_b.pk})
        result = self.merge(["e-office", "eoffice", "E Office"], "E-Office")

        self.assertEqual(result.target.name, "E-Office")
        self.assertEqual(result.page_ids, {self.live_a.pk, self.live_b.pk, self.drafted.pk, self.never_live.pk})
        self.assertEqual(set(Tag.objects.filter(name__iexact="eoffice").values_list("name", flat=True)), set())
        self.assertFalse(Tag.objects.filter(name__in=["e-office", "E Office"]).exists(), "unused sources go")
        self.assertEqual(self.usage()["E-Office"], (2, 2))
        self.assertEqual(set(self.reload(self.live_a).tags.names()), {"E-Office", "tte"})
        # The drafts the editor opens carry the new tag, so an edit does not bring the old one back.
        self.assertEqual(self.draft_tag_names(self.drafted), {"arsip", "E-Office"})
        self.assertEqual(self.draft_tag_names(self.never_live), {"E-Office"})
        # Publishing that draft publishes the new tag.
        CaseStudyPage.objects.get(pk=self.drafted.pk).get_latest_revision().publish()
        self.assertEqual(set(self.reload(self.drafted).tags.names()), {"arsip", "E-Office"})
        # Search finds the new tag and not the old spellings.
        self.assertEqual(found(tags=("e-office",)), {self.live_a.pk, self.live_b.pk, self.drafted.pk})
        self.assertEqual(found(tags=("eoffice",)), set())

    def test_merge_is_in_the_audit_log(self):
        self.merge(["e-office", "eoffice"], "e-office")
        entries = PageLogEntry.objects.filter(action=LOG_MERGE)
        self.assertEqual(
            set(entries.values_list("page_id", flat=True)), {self.live_b.pk, self.never_live.pk}, "live_a had it"
        )
        entry = entries.first()
        self.assertEqual(entry.user, self.moderator)
        self.assertEqual(entry.data["to"], "e-office")
        self.assertIn("digabung", entry.message)
        tag_entry = ModelLogEntry.objects.get(action=LOG_MERGE)
        self.assertEqual(tag_entry.data["pages"], 2)

    def test_a_page_with_both_spellings_keeps_one(self):
        self.live_a.tags.add("eoffice")
        self.live_a.save_revision().publish()
        self.merge(["e-office", "eoffice"], "e-office")
        page = self.reload(self.live_a)
        self.assertEqual(sorted(page.tags.names()), ["e-office", "tte"])
        self.assertEqual(page.tagged_items.count(), 2)
        revision_tags = [item["tag"] for item in page.get_latest_revision().content["tagged_items"]]
        self.assertEqual(len(revision_tags), len(set(revision_tags)))

    def test_rename_keeps_case_studies_and_logs_a_rename(self):
        result = self.merge(["tte"], "Tanda tangan elektronik")
        self.assertEqual(set(self.reload(self.live_a).tags.names()), {"e-office", "Tanda tangan elektronik"})
        self.assertFalse(Tag.objects.filter(name="tte").exists())
        self.assertEqual(found(tags=("tanda tangan elektronik",)), {self.live_a.pk})
        self.assertEqual(found(tags=("tte",)), set())
        self.assertEqual(PageLogEntry.objects.get(action=LOG_RENAME).page_id, self.live_a.pk)
        self.assertEqual(result.live_page_ids, {self.live_a.pk})

    def test_rename_changing_only_the_case(self):
        self.merge(["tte"], "TTE")
        self.assertEqual(set(self.reload(self.live_a).tags.names()), {"e-office", "TTE"})

    def test_a_tag_an_image_also_uses_stays_for_the_image(self):
        from wagtail.images.models import Image
        from wagtail.images.tests.utils import get_test_image_file

        image = Image.objects.create(title="Logo", file=get_test_image_file())
        image.tags.add("tte")
        self.merge(["tte"], "TTE elektronik")
        self.assertEqual(list(Image.objects.get(pk=image.pk).tags.names()), ["tte"])
        self.assertEqual(set(self.reload(self.live_a).tags.names()), {"e-office", "TTE elektronik"})


class TagScreenTests(TagFixtures):
    def login(self, user):
        self.client.login(username=user.username, password=PASSWORD)

    def test_moderator_sees_tags_counts_and_suggestions(self):
        self.login(self.moderator)
        response = self.client.get(reverse("casestudy_tags"))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Tag bebas")
        self.assertContains(response, "Mungkin duplikat")
        self.assertContains(response, "Gabungkan ke “eoffice”")
        self.assertEqual([(u.tag.name, u.live, u.draft) for u in response.context["usages"]][0], ("arsip", 1, 1))
        self.assertContains(self.client.get("/admin/"), reverse("casestudy_tags"))

    def test_confirm_then_merge(self):
        self.login(self.moderator)
        ids = [str(t.pk) for t in Tag.objects.filter(name__in=["e-office", "eoffice", "E Office"])]
        confirm = self.client.get(reverse("casestudy_tags_merge"), {"tags": ids, "name": "e-office"})
        self.assertEqual(confirm.status_code, 200)
        self.assertContains(confirm, "3 praktik baik akan ditandai ulang")
        self.assertTrue(Tag.objects.filter(name="eoffice").exists(), "the confirm step writes nothing")
        done = self.client.post(reverse("casestudy_tags_merge"), {"tags": ids, "name": "e-office", "confirm": "1"})
        self.assertRedirects(done, reverse("casestudy_tags"))
        self.assertFalse(Tag.objects.filter(name="eoffice").exists())
        listing = self.client.get(reverse("casestudy_tags"))
        self.assertContains(listing, "Tidak ada tag yang tampak duplikat.")
        # The editor opens the draft with the merged tag.
        edit = self.client.get(edit_url(self.drafted))
        self.assertContains(edit, "e-office")
        self.assertNotContains(edit, "E Office")

    def test_bad_input_shows_the_form_with_a_message(self):
        self.login(self.moderator)
        tte = Tag.objects.get(name="tte")
        url = reverse("casestudy_tags_merge")
        cases = [
            ({"name": "x"}, "Pilih setidaknya satu tag."),
            ({"tags": [tte.pk], "name": "  "}, "Tulis nama tag."),
            ({"tags": [tte.pk], "name": "a, b"}, "koma"),
            ({"tags": [tte.pk], "name": "x" * 101}, "100"),
            ({"tags": [tte.pk], "name": "tte"}, "tidak ada yang berubah"),
            ({"tags": ["abc"], "name": "x"}, "tidak dikenal"),
            ({"tags": ["999999"], "name": "x"}, "sudah tidak ada"),
            ({"tags": ["99999999999999999999"], "name": "x"}, "tidak dikenal"),
        ]
        for data, message in cases:
            for method in (self.client.get, self.client.post):
                response = method(url, {**data, "confirm": "1"})
                self.assertEqual(response.status_code, 400, data)
                self.assertContains(response, message, status_code=400)
        self.assertEqual(set(self.reload(self.live_a).tags.names()), {"e-office", "tte"})
        self.assertFalse(PageLogEntry.objects.filter(action__in=[LOG_MERGE, LOG_RENAME]).exists())

    def test_officers_are_refused(self):
        self.login(self.officer_a)
        tte = Tag.objects.get(name="tte")
        for response in (
            self.client.get(reverse("casestudy_tags")),
            self.client.post(reverse("casestudy_tags_merge"), {"tags": [tte.pk], "name": "x", "confirm": "1"}),
        ):
            self.assertRedirects(response, reverse("wagtailadmin_home"))
        self.assertTrue(Tag.objects.filter(name="tte").exists())
        self.assertNotContains(self.client.get("/admin/"), reverse("casestudy_tags"))
        self.client.logout()
        self.assertEqual(self.client.get(reverse("casestudy_tags")).status_code, 302)  # to the sign-in page
