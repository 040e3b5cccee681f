"""The small columns of every indexed case study, in memory, with one bitset per filter/facet value.

The full-text match is the database's job (FTS5, tsvector). What follows it — filters, facet counts, the order —
touches every matched row, and at 100k case studies a broad query matches 25k of them: eight GROUP BYs over those
rows cost ~100 ms, where ANDing and counting bitsets of 100k bits costs microseconds per facet value. So each
process keeps this table per data version (cms.data_version: bumped by every index write), built in one pass
(~0.5 s at 100k case studies, ~50 ms at 10k) the first time a search needs it after a change.

Documents are numbered 0…n−1 in page-id order ("ordinals"); a bitset is a Python int whose bit i is document i.
"""

import threading
from dataclasses import dataclass, field

from django.db import connection

from cms.data_version import data_version

_lock = threading.Lock()
_current: list = [None, None]  # [version, DocumentTable]


@dataclass
class DocumentTable:
    page_ids: list[int] = field(default_factory=list)  # ordinal → page id
    ordinal: dict[int, int] = field(default_factory=dict)  # page id → ordinal
    region: list[str] = field(default_factory=list)  # ordinal → region code
    newest_rank: list[int] = field(default_factory=list)  # ordinal → 0 for the most recently published
    gain: list[int | None] = field(default_factory=list)  # ordinal → verified level gain
    replicated: list[int] = field(default_factory=list)  # ordinal → successful replications
    masks: dict[str, dict[str, int]] = field(default_factory=dict)  # facet → value → bitset
    everything: int = 0

    @property
    def size(self) -> int:
        return len(self.page_ids)

    def mask_of(self, ordinals) -> int:
        bits = bytearray((self.size + 7) // 8)
        for o in ordinals:
            bits[o >> 3] |= 1 << (o & 7)
        return int.from_bytes(bits, "little")

    def members(self, mask: int) -> list[int]:
        """The ordinals whose bit is set, ascending."""
        out = []
        data = mask.to_bytes((self.size + 7) // 8, "little")
        for index, byte in enumerate(data):
            if byte:
                base = index << 3
                out.extend(base + bit for bit in range(8) if byte >> bit & 1)
        return out


def _build() -> DocumentTable:
    table = DocumentTable()
    values: dict[str, dict[str, bytearray]] = {}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT page_id, region_code, province_code, region_type, year_start, status, first_published_at, "
            "verified_gain, aspect_set, domain_set, successful_replications FROM search_searchdocument ORDER BY page_id"
        )
        rows = cursor.fetchall()
        size = len(rows)
        width = (size + 7) // 8

        def add(facet: str, value, o: int) -> None:
            if value in (None, ""):
                return
            per_value = values.setdefault(facet, {})
            bits = per_value.get(value)
            if bits is None:
                bits = per_value[value] = bytearray(width)
            bits[o >> 3] |= 1 << (o & 7)

        published = []
        for o, (page_id, region, province, kind, year, status, first, gain, aspects, domains, replicated) in enumerate(
            rows
        ):
            table.page_ids.append(page_id)
            table.ordinal[page_id] = o
            table.region.append(region)
            table.gain.append(gain)
            table.replicated.append(replicated)
            published.append((first is not None, str(first or ""), page_id, o))
            add("region", region, o)
            add("province", province, o)
            add("region_type", kind, o)
            add("year", str(year), o)
            add("status", status, o)
            for aspect in aspects.split(","):
                add("aspect", aspect, o)
            for domain in domains.split(","):
                add("domain", domain, o)
            if gain is not None and gain > 0:
                add("verified", "1", o)
        table.newest_rank = [0] * size
        for rank, (*_key, o) in enumerate(sorted(published, reverse=True)):
            table.newest_rank[o] = rank
        for facet, sql in (
            ("indicator", "SELECT document_id, indicator FROM search_searchdocumentindicator"),
            ("tag", "SELECT document_id, name FROM search_searchdocumenttag"),
        ):
            cursor.execute(sql)
            for page_id, value in cursor.fetchall():
                o = table.ordinal.get(page_id)
                if o is not None:
                    add(facet, str(value), o)
    table.masks = {
        facet: {value: int.from_bytes(bits, "little") for value, bits in per_value.items()}
        for facet, per_value in values.items()
    }
    table.everything = (1 << size) - 1
    return table


def document_table() -> DocumentTable:
    """This process's table for the current data version (built on first use after a change)."""
    version = data_version()
    if _current[0] == version:
        return _current[1]
    with _lock:
        if _current[0] != version:
            _current[1] = _build()
            _current[0] = version
    return _current[1]
