"""Whether a framework's precomputed score summaries (models.summaries) are current, and the comparison years
they hold. Kept apart from their rebuild (scores.summaries), which reads values: the value reads ask this first.
"""

from cms.data_version import cached

from ..models import Framework, SummaryState


def summaries_ready(framework: Framework) -> bool:
    return summarised_years(framework) is not None


def summarised_years(framework: Framework) -> dict[str, tuple[int, int]] | None:
    """ "scope:number" → the comparison years the summaries hold, or None while they are out of date."""

    def read():
        state = SummaryState.objects.filter(framework=framework).first()
        return None if state is None else {key: tuple(pair) for key, pair in state.comparison_years.items()}

    return cached(f"summary-state:{framework.pk}", read)


def summaries_drop(framework_id: int) -> None:
    """Mark the framework's summaries out of date (readers compute live until the next refresh)."""
    SummaryState.objects.filter(framework_id=framework_id).delete()
