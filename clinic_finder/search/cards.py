"""What a result card (the page's and the API's) reads of a provider and of the clinic it was found at: the columns
alone, read as attributes like the models'. Loading the page's providers and clinics as ORM rows cost ~0.8 ms of
every search on SQLite (issue 21); plain rows of these columns cost a fraction of that."""
from __future__ import annotations

from dataclasses import dataclass, fields, make_dataclass

import sqlalchemy as sa

from clinic_finder.models import Location, Provider, ProviderCondition, ProviderRoute, ServiceState
from clinic_finder.vetting.trust import TrustSummary


class _Columns:
    """A card's fields are its model's columns of the same names, selected in field order."""

    @classmethod
    def columns(cls) -> list:
        model = cls.model  # type: ignore[attr-defined]
        return [getattr(model, f.name) for f in fields(cls)]  # type: ignore[arg-type]


class _ProviderColumns(_Columns):
    model = Provider
    modes = Provider.modes  # the model's own property, so the rule stays in one place


# The card's own columns, then the stored trust summary's: named as TrustSummary's fields (the columns
# vetting.trust.stored_summary reads), taken from it so a summary field added there reaches the cards too.
ProviderCard = make_dataclass(
    "ProviderCard",
    [("id", int), ("name", str), ("offers_in_clinic", bool), ("offers_at_home", bool),
     ("price_min_usd", int | None), ("price_max_usd", int | None), ("free_consultation", bool), ("is_demo", bool),
     *((f.name, f.type) for f in fields(TrustSummary))],
    bases=(_ProviderColumns,), slots=True)


@dataclass(slots=True)
class LocationCard(_Columns):
    id: int
    address_line1: str
    address_line2: str | None
    city: str
    state: str
    zip_code: str
    lat: float | None
    lon: float | None
    accepting_new_patients: bool

    model = Location
    one_line = Location.one_line


# A card's lists, one column each beside its row: the values joined by commas (no route, condition or state code
# holds one). The page's cards and their lists come in one statement: one fewer per search, a round trip fewer on
# PostgreSQL (issue 21: the lists' own statement was about 5 % of an API search on SQLite).
_FACTS = (("route", ProviderRoute.route, ProviderRoute.provider_id),
          ("condition", ProviderCondition.condition, ProviderCondition.provider_id),
          ("state", ServiceState.state, ServiceState.provider_id))
FACT_KINDS = tuple(kind for kind, _column, _owner in _FACTS)


def fact_columns(provider_id) -> list:
    """The routes, conditions and states served of the provider whose id is `provider_id` (a column)."""
    return [sa.select(sa.func.aggregate_strings(sa.cast(column, sa.String(60)), ","))
            .where(owner == provider_id).scalar_subquery().label(f"{kind}_facts")
            for kind, column, owner in _FACTS]


def read_facts(into: dict[tuple[int, str], list[str]], provider_id: int, values) -> None:
    """Store fact_columns' values of one provider as {(provider_id, kind): [value, …]}."""
    for kind, joined in zip(FACT_KINDS, values, strict=True):
        into[(provider_id, kind)] = joined.split(",") if joined else []
