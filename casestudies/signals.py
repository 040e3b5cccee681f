"""Signals for what other apps derive from case-study data (search listens; casestudies imports none of them).

- `claims_verification_changed(page_ids=set[int])`: the stored "verified" flag of some of these case studies'
  level claims flipped (casestudies.scores.claims.claims_verify, after a publish or any score write).
- `regions_changed(region_ids=list[int])`: regions were written in bulk (the reference-data reload), which sends
  no `post_save`.
"""

from django.dispatch import Signal

claims_verification_changed = Signal()
regions_changed = Signal()
