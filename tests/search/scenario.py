"""A small corpus every engine is tested on: six case studies in two regions, chosen so each rule has a witness."""

from casestudies.models import CaseStudyPage
from tests.utils import SiteTestCase, make_case_study


class SearchCorpusTestCase(SiteTestCase):
    """Region A = Kab. Sumedang (32.11, Jawa Barat), region B = Kab. Indramayu (32.12, Jawa Barat)."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.mpp = make_case_study(
            cls.page_a,
            title="Mal Pelayanan Publik Digital",
            indicators=(45,),
            summary="Semua izin dalam satu gedung dan satu aplikasi.",
            year_start=2021,
        )
        cls.complaints = make_case_study(
            cls.page_a,
            title="Sistem Pengaduan Warga",
            indicators=(42,),
            summary="Kanal aduan yang ditindaklanjuti dalam tiga hari.",
            solution="<p>Warga mengirim laporan lewat WhatsApp dan SP4N-LAPOR.</p>",
            year_start=2022,
        )
        cls.signature = make_case_study(
            cls.page_a,
            title="Tanda Tangan Elektronik untuk Naskah Dinas",
            indicators=(37,),
            summary="Naskah dinas ditandatangani secara elektronik.",
            year_start=2020,
            status=CaseStudyPage.Status.SCALED,
        )
        cls.population = make_case_study(
            cls.page_b,
            title="Verifikasi Data Kependudukan",
            indicators=(43,),
            summary="Data penduduk dipakai bersama oleh aplikasi perangkat daerah.",
            solution="<p>Aplikasi terintegrasi dengan layanan Dukcapil.</p>",
            year_start=2023,
        )
        cls.licensing = make_case_study(
            cls.page_b,
            title="Perizinan Daring",
            indicators=(43, 42),
            summary="Izin usaha diurus dari rumah.",
            solution="<p>Peningkatan pelayanan kepada pelaku usaha.</p>",
            year_start=2019,
            status=CaseStudyPage.Status.STOPPED,
        )
        cls.datacentre = make_case_study(
            cls.page_b,
            title="Pusat Data Kabupaten",
            indicators=(16,),
            summary="Semua server perangkat daerah pindah ke satu ruang.",
            year_start=2022,
        )
        for page, tags in (
            (cls.mpp, ["MPP", "layanan publik"]),
            (cls.complaints, ["pengaduan"]),
            (cls.datacentre, ["infrastruktur"]),
        ):
            page.tags.add(*tags)
            page.save_revision().publish()
        cls.draft = make_case_study(cls.page_a, title="Draf Pengaduan Rahasia", indicators=(42,), live=False)
