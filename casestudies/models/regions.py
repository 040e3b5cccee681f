"""Indonesian regional governments with their Kemendagri codes."""

import re

from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.search import index

REGION_CODE = re.compile(r"[0-9]{2}(\.[0-9]{2,4}){0,3}")  # what a Kemendagri code can look like (32, 32.11, …)


class Region(index.Indexed, models.Model):
    """A province or kabupaten/kota (Kepmendagri 300.2.2-2138/2025), e.g. `32.11` Kabupaten Sumedang."""

    class Type(models.TextChoices):
        """The level of government."""

        PROVINSI = "provinsi", _("Provinsi")
        KABUPATEN = "kabupaten", _("Kabupaten")
        KOTA = "kota", _("Kota")

    code = models.CharField(_("kode Kemendagri"), max_length=10, unique=True)
    name = models.CharField(_("nama"), max_length=120)
    type = models.CharField(_("jenis"), max_length=12, choices=Type.choices)
    province = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children", verbose_name=_("provinsi")
    )
    population = models.PositiveIntegerField(_("jumlah penduduk (2025)"), null=True, blank=True)
    is_idsl_pilot = models.BooleanField(
        _("daerah percontohan IDSL"),
        default=False,
        help_text=_("Penanda tangan komitmen Indonesia Digital Services Living Lab (Bali, 21 Nov 2022)."),
    )

    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.FilterField("code"),
        index.FilterField("type"),
    ]

    class Meta:
        verbose_name = _("daerah")
        verbose_name_plural = _("daerah")
        ordering = ["code"]

    def __str__(self):
        return self.name

    @property
    def url_code(self) -> str:
        """The code as it appears in page URLs (Wagtail page paths allow no dots): 32.11 → 32-11."""
        return self.code.replace(".", "-")

    @property
    def short_name(self) -> str:
        """'Kab. Sumedang' / 'Kota Bandung' / 'Prov. Jawa Barat', as Indonesian reports write them."""
        if self.type == self.Type.KABUPATEN:
            return self.name.replace("Kabupaten ", "Kab. ", 1)
        if self.type == self.Type.PROVINSI:
            return f"Prov. {self.name}"
        return self.name
