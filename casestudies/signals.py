"""Signals for what other apps derive from case-study data (search listens; casestudies imports none of them).

- `case_studies_changed(page_ids=set[int])`: what the public sees of these case studies changed — published,
  unpublished or deleted (sent once per change, after their level claims were verified against the scores and
  the data version stamped: casestudies.signal_handlers), or a claim's stored "verified" flag flipped after a
  score write (casestudies.scores.claims.claims_verify). Search re-indexes exactly these pages.
- `regions_changed(region_ids=list[int])`: regions were written in bulk (the reference-data reload), which sends
  no `post_save`.
"""

from django.dispatch import Signal

case_studies_changed = Signal()
regions_changed = Signal()
