"""The OpenAPI description of the scores and peers endpoints (casestudies/api.py): the answers, as ninja schemas,
and the query parameters the endpoints parse themselves, described from the same bounds."""

from ninja import Field, Schema

from cms.api import integer, query_parameter

MAX_LIMIT = 50
TARGET_NUMBERS = (1, 999)
YEARS = (1990, 2100)
REGION_CODE_EXAMPLE = "32.12"


class RegionOut(Schema):
    code: str
    name: str
    type: str
    province: str | None  # a province's own code is null


class ValueOut(Schema):
    value: float
    origin: str
    source: str
    is_demo: bool
    predicate: str | None = None  # only where the source gives one
    other_origins: dict[str, float] | None = None  # only where other origins have the same figure


class YearOut(Schema):
    year: int
    index: ValueOut | None
    domains: dict[str, ValueOut | None]
    aspects: dict[str, ValueOut | None]
    indicators: dict[str, int | None]
    indicators_are_demo: bool


class ScoresOut(Schema):
    region: RegionOut
    framework: str
    precedence: list[str]
    years: list[YearOut]


class TargetOut(Schema):
    scope: str
    number: int
    name: str


class EvidenceOut(Schema):
    title: str
    url: str
    verified: bool
    replications: int  # regions that apply it (under way or done)


class PeerOut(Schema):
    code: str
    name: str
    type: str
    before: float
    after: float
    years: list[int]
    delta: float
    score: float
    origin: str
    is_demo: bool
    reason: str
    reason_id: str
    reason_en: str
    case_studies: list[EvidenceOut]


class PeersOut(Schema):
    region: RegionOut
    target: TargetOut
    from_year: int | None
    to_year: int | None
    peers: list[PeerOut]


def _target(scope: str, example: int | None = None) -> dict:
    return query_parameter(
        scope,
        integer(*TARGET_NUMBERS),
        f"The target: {scope} number N of the current framework. Give exactly one of domain, aspect, indicator "
        "(or index).",
        example=example,
    )


PEER_PARAMETERS = [
    _target("domain", example=4),
    _target("aspect"),
    _target("indicator"),
    query_parameter("index", {"type": "string"}, "Present (index=1): the target is the SPBE index.", example=None),
    query_parameter("from_year", integer(*YEARS), "With to_year, before it: the years compared."),
    query_parameter("to_year", integer(*YEARS), "With from_year, after it: the years compared."),
    query_parameter("limit", integer(1, MAX_LIMIT, default=10), "How many peers (default 10)."),
]


class IndicatorRefOut(Schema):
    number: int
    name: str


class StepCaseStudyOut(Schema):
    title: str
    url: str
    region_code: str | None
    levels: list[int]  # [before, after] as claimed
    verified: bool


class StepRegionOut(Schema):
    code: str
    name: str
    from_year: int
    to_year: int
    levels: list[int]  # [level in from_year, level in to_year]
    is_demo: bool
    has_case_study: bool


class StepOut(Schema):
    from_: int = Field(..., alias="from")
    to: int
    url: str
    criteria_from: str
    criteria_to: str
    case_studies: list[StepCaseStudyOut]
    regions: list[StepRegionOut]
    median_years: float | None


class LearningPathOut(Schema):
    indicator: IndicatorRefOut
    for_region: RegionOut | None
    steps: list[StepOut]


PATH_PARAMETERS = [
    query_parameter(
        "for_region",
        {"type": "string", "maxLength": 20},
        "Kemendagri code of the region learning: similar regions (same type, then same province) come first, "
        "the region itself is left out.",
        example=REGION_CODE_EXAMPLE,
    ),
]
