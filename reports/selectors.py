"""Reads shared by the pages: authorities, their neighbours, regions, figures and their areas.
Each function costs a fixed number of queries, whatever the number of authorities or periods;
each page's own reads live in its package (``reports.authority``, ``reports.compare``)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import OuterRef, Prefetch, Subquery
from django.http import Http404

from authorities.models import (
    ENGLAND_CODE,
    ENGLAND_NAME,
    Authority,
    Event,
    Inspection,
    Region,
    StatisticalNeighbour,
)
from indicators.milestones.models import Milestone
from indicators.models import Indicator, Observation, Polarity, RetiredObservation, Retirement


@dataclass
class RegionGroup:
    name: str
    authorities: list[Authority] = field(default_factory=list)
    # Authorities met only in the founding reports have no region until official data is loaded.
    region_known: bool = True


UNKNOWN_REGION = "Region not loaded yet"


def authorities_by_region(search: str = "") -> list[RegionGroup]:
    """Active authorities grouped by region, each annotated with its latest graded inspection."""
    latest = Inspection.objects.graded().filter(authority=OuterRef("pk")).order_by("-start_date")
    authorities = (
        Authority.objects.active()
        .search(search)
        .select_related("region")
        .annotate(
            latest_grade=Subquery(latest.values("overall_grade")[:1]),
            latest_grade_date=Subquery(latest.values("start_date")[:1]),
            latest_framework=Subquery(latest.values("framework")[:1]),
        )
        .order_by("region__name", "name")
    )
    groups: dict[str, RegionGroup] = {}
    for authority in authorities:
        known = authority.region is not None
        region_name = authority.region.name if authority.region else UNKNOWN_REGION
        group = groups.setdefault(region_name, RegionGroup(region_name, region_known=known))
        group.authorities.append(authority)
    # The authorities without a region come last, whatever order the database sorts NULL in.
    return sorted(groups.values(), key=lambda group: not group.region_known)


def get_authority(gss_code: str, *, with_history: bool = False) -> Authority:
    """The authority; with its inspections, events and milestones read once, in three queries,
    when a page shows them in more than one place (the timeline and the chart)."""
    authorities = Authority.objects.select_related("region", "successor")
    if with_history:
        authorities = authorities.prefetch_related(
            Prefetch("inspections", queryset=Inspection.objects.order_by("-start_date")),
            Prefetch("events", queryset=Event.objects.order_by("-date")),
            Prefetch(
                "milestones",
                queryset=Milestone.objects.select_related("indicator").order_by(
                    "indicator__sort_order", "due_date"
                ),
            ),
        )
    try:
        return authorities.get(gss_code=gss_code)
    except Authority.DoesNotExist:
        raise Http404(f"No authority has the GSS code {gss_code}") from None


def neighbour_codes(authority: Authority) -> list[str]:
    """GSS codes of the authority's neighbours in the newest model, closest first. Read once per
    authority object: the headlines and the chart both need them."""
    cached = getattr(authority, "_neighbour_codes", None)
    if cached is not None:
        return cached
    codes = _neighbour_codes(authority)
    authority._neighbour_codes = codes  # type: ignore[attr-defined]
    return codes


def _neighbour_codes(authority: Authority) -> list[str]:
    rows = list(
        StatisticalNeighbour.objects.filter(authority=authority)
        .order_by("-model_year", "rank")
        .values_list("model_year", "neighbour__gss_code")
    )
    if not rows:
        return []
    newest = rows[0][0]
    return [code for year, code in rows if year == newest]


def judge_direction(change: float, polarity: str) -> str:
    if change == 0:
        return "same"
    if polarity == Polarity.HIGHER_IS_BETTER:
        return "better" if change > 0 else "worse"
    if polarity == Polarity.LOWER_IS_BETTER:
        return "better" if change < 0 else "worse"
    return "up" if change > 0 else "down"


def regions() -> list[Region]:
    return list(Region.objects.order_by("name"))


def find_observation(pk: int) -> Observation | None:
    """The published figure with this id, if there is one. Every Observation is published: a
    return's figures exist only while it is approved."""
    return Observation.objects.select_related("indicator", "annex_a_upload").filter(pk=pk).first()


def replacement_for(pk: int) -> Observation | None:
    """The figure published now for what the removed figure ``pk`` stood for (same area,
    indicator, period and source), or None: never removed, or withdrawn and not published
    again (a reopened return not yet approved)."""
    retired = RetiredObservation.objects.filter(pk=pk).first()
    if retired is None:
        return None
    return (
        Observation.objects.filter(
            indicator_id=retired.indicator_id,
            area_code=retired.area_code,
            period_kind=retired.period_kind,
            period_start=retired.period_start,
            source=retired.source,
        )
        .order_by("-recorded_at", "-pk")
        .first()
    )


@dataclass
class Replaced:
    """What the source page says when a link to a removed figure led to it."""

    old_id: int
    reason: str
    retired_at: datetime.datetime
    replaced_at: datetime.datetime

    @property
    def was_withdrawn(self) -> bool:
        return self.reason == Retirement.WITHDRAWN


def replaced_by(observation: Observation, old_id: str | None) -> Replaced | None:
    """The removed figure ``old_id`` that ``observation`` took the place of, if it did. Only a
    figure of the same area, indicator, period and source counts, so an address cannot make a
    page claim a replacement that did not happen."""
    if not old_id or not old_id.isdigit() or len(old_id) > 18:
        return None
    retired = RetiredObservation.objects.filter(pk=int(old_id)).first()
    if retired is None or not retired.is_figure_of(observation):
        return None
    return Replaced(
        old_id=retired.pk,
        reason=retired.reason,
        retired_at=retired.retired_at,
        # A figure published again after a withdrawal replaced it when it was recorded; an
        # older copy removed at an import was replaced then.
        replaced_at=max(retired.retired_at, observation.recorded_at),
    )


def area_name(code: str) -> str:
    """The name of an area (England, a region or an authority) from its GSS code."""
    if code == ENGLAND_CODE:
        return ENGLAND_NAME
    region = Region.objects.filter(code=code).values_list("name", flat=True).first()
    if region:
        return region
    authority = Authority.objects.filter(gss_code=code).values_list("name", flat=True).first()
    return authority or code


def indicators_with_data(authority: Authority) -> list[Indicator]:
    """Indicators the authority has any figure for, in catalogue order."""
    codes = Observation.objects.filter(area_code=authority.gss_code).values("indicator_id")
    return list(Indicator.objects.filter(pk__in=codes))
