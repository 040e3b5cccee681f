"""Open data: RSS/Atom feeds (all, per indicator, per region) and the CSV of every published case study."""

import csv
import io

from defusedxml import ElementTree

from tests.search.scenario import SearchCorpusTestCase


class FeedTests(SearchCorpusTestCase):
    def items(self, url):
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200, url)
        root = ElementTree.fromstring(response.content)
        return [i.findtext("title") for i in root.iter("item")] or [
            e.findtext("{http://www.w3.org/2005/Atom}title") for e in root.iter("{http://www.w3.org/2005/Atom}entry")
        ]

    def test_all_newest_first_without_drafts(self):
        titles = self.items("/feeds/praktik-baik/")
        self.assertEqual(len(titles), 6)
        self.assertEqual(titles[0], "Pusat Data Kabupaten (Kabupaten Indramayu)")
        self.assertNotIn("Draf Pengaduan Rahasia (Kabupaten Sumedang)", titles)

    def test_atom(self):
        response = self.client.get("/feeds/praktik-baik/atom/")
        self.assertEqual(response["Content-Type"], "application/atom+xml; charset=utf-8")
        self.assertEqual(len(self.items("/feeds/praktik-baik/atom/")), 6)

    def test_per_indicator_and_region(self):
        self.assertEqual(
            sorted(self.items("/feeds/indikator/42/")),
            ["Perizinan Daring (Kabupaten Indramayu)", "Sistem Pengaduan Warga (Kabupaten Sumedang)"],
        )
        self.assertEqual(len(self.items("/feeds/daerah/32.11/")), 3)
        self.assertEqual(self.client.get("/feeds/indikator/99/").status_code, 404)
        self.assertEqual(self.client.get("/feeds/daerah/99.99/").status_code, 404)

    def test_items_link_to_the_case_study_with_categories(self):
        response = self.client.get("/feeds/indikator/16/")
        item = ElementTree.fromstring(response.content).find("channel/item")
        self.assertEqual(item.findtext("link"), "http://testserver" + self.datacentre.url)
        self.assertIn("Indikator 16", [c.text for c in item.findall("category")])
        self.assertIn("infrastruktur", [c.text for c in item.findall("category")])


class CsvTests(SearchCorpusTestCase):
    def test_every_published_case_study_with_its_indicators(self):
        from casestudies.replications import replication_add

        replication_add(case_study=self.licensing, region=self.region_a, user=None)
        response = self.client.get("/data/praktik-baik.csv")
        self.assertEqual(response.status_code, 200)
        self.assertIn("attachment", response["Content-Disposition"])
        text = b"".join(response.streaming_content).decode("utf-8-sig")
        rows = list(csv.DictReader(io.StringIO(text)))
        self.assertEqual(len(rows), 6)
        licensing = next(r for r in rows if r["title"] == "Perizinan Daring")
        self.assertEqual(sorted(licensing["indicators"].split(";")), ["42", "43"])
        self.assertEqual(licensing["region_code"], "32.12")
        self.assertEqual(licensing["status"], "stopped")
        self.assertTrue(licensing["url"].startswith("http://testserver/"))
        self.assertEqual(licensing["replicated_by"], "32.11")
        self.assertEqual({r["replicated_by"] for r in rows if r is not licensing}, {""})
        self.assertNotIn("Draf Pengaduan Rahasia", text)


class MetaTests(SearchCorpusTestCase):
    def test_opengraph_on_a_case_study(self):
        response = self.client.get(self.mpp.url)
        self.assertContains(response, '<meta property="og:title" content="Mal Pelayanan Publik Digital">')
        self.assertContains(response, '<meta property="og:type" content="article">')
        self.assertContains(response, 'content="Semua izin dalam satu gedung dan satu aplikasi."')
        self.assertContains(response, '<meta property="og:locale" content="id_ID">')


class PagesApiTests(SearchCorpusTestCase):
    def test_case_studies_through_wagtail_api_v2(self):
        response = self.client.get(
            "/api/v2/pages/", {"type": "casestudies.CaseStudyPage", "fields": "summary,indicator_numbers,tag_names"}
        )
        self.assertEqual(response.status_code, 200)
        items = {item["title"]: item for item in response.json()["items"]}
        self.assertEqual(len(items), 6)  # live pages only: not the draft
        self.assertEqual(sorted(items["Perizinan Daring"]["indicator_numbers"]), [42, 43])
        self.assertEqual(sorted(items["Mal Pelayanan Publik Digital"]["tag_names"]), ["MPP", "layanan publik"])

    def test_replicating_regions_in_the_api(self):
        from casestudies.replications import replication_add

        replication_add(case_study=self.licensing, region=self.region_a, user=None)
        detail = self.client.get(f"/api/v2/pages/{self.licensing.pk}/").json()
        self.assertEqual(detail["replicated_by"], ["32.11"])
