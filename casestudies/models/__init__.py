from .collections import FeaturedCollection, FeaturedCollectionItem
from .explorer import IndicatorExplorerPage
from .follows import DigestSent, Follow
from .pages import (
    CaseStudyAttachment,
    CaseStudyIndicator,
    CaseStudyPage,
    CaseStudyTag,
    RegionPage,
    RegionsIndexPage,
)
from .questions import Question
from .regions import Region
from .replications import Replication
from .reports import ContentReport
from .scores import AggregateScore, IndicatorScore, Origin, Scope
from .summaries import AverageScore, ScoreChange, StepCount, SummaryState
from .taxonomy import (
    Aspect,
    Domain,
    Framework,
    Indicator,
    LevelCriterion,
    LevelScale,
    Predicate,
    ScaleLevel,
)
from .uploads import PendingUpload
from .versions import DataVersion

__all__ = [
    "AggregateScore",
    "DigestSent",
    "Follow",
    "AverageScore",
    "Aspect",
    "CaseStudyAttachment",
    "CaseStudyIndicator",
    "CaseStudyPage",
    "CaseStudyTag",
    "ContentReport",
    "DataVersion",
    "Domain",
    "FeaturedCollection",
    "FeaturedCollectionItem",
    "Framework",
    "Indicator",
    "IndicatorExplorerPage",
    "IndicatorScore",
    "LevelCriterion",
    "LevelScale",
    "Origin",
    "PendingUpload",
    "Predicate",
    "Question",
    "Region",
    "RegionPage",
    "RegionsIndexPage",
    "Replication",
    "ScaleLevel",
    "ScoreChange",
    "StepCount",
    "Scope",
    "SummaryState",
]
