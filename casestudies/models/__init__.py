from .collections import FeaturedCollection, FeaturedCollectionItem
from .explorer import IndicatorExplorerPage
from .pages import (
    CaseStudyAttachment,
    CaseStudyIndicator,
    CaseStudyPage,
    CaseStudyTag,
    RegionPage,
    RegionsIndexPage,
)
from .regions import Region
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

__all__ = [
    "Aspect",
    "CaseStudyAttachment",
    "CaseStudyIndicator",
    "CaseStudyPage",
    "CaseStudyTag",
    "Domain",
    "FeaturedCollection",
    "FeaturedCollectionItem",
    "Framework",
    "Indicator",
    "IndicatorExplorerPage",
    "LevelCriterion",
    "LevelScale",
    "Predicate",
    "Region",
    "RegionPage",
    "RegionsIndexPage",
    "ScaleLevel",
]
