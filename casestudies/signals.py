"""Signals for what other apps derive from case-study data (search listens; casestudies imports none of them).

- `regions_changed(region_ids=list[int])`: regions were written in bulk (the reference-data reload), which sends
  no `post_save`.
"""

from django.dispatch import Signal

regions_changed = Signal()
