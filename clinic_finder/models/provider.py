"""The provider aggregate: a listing, its clinic locations, the states it serves at home, routes and conditions."""
from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from clinic_finder.extensions import db
from clinic_finder.models.enums import Condition, LicenseStatus, ListingStatus, Mode, Route, enum_column
from clinic_finder.models.types import UTCDateTime, new_uuid, utcnow

if TYPE_CHECKING:
    from clinic_finder.models.checklist import ChecklistItem
    from clinic_finder.models.license import Clinician
    from clinic_finder.models.review import Review


class Provider(db.Model):
    __tablename__ = "provider"
    __table_args__ = (
        sa.CheckConstraint("price_min_usd >= 0", name="price_min_not_negative"),
        sa.CheckConstraint(
            "price_max_usd IS NULL OR price_min_usd IS NULL OR price_min_usd <= price_max_usd",
            name="price_min_le_max",
        ),
        sa.CheckConstraint("offers_in_clinic OR offers_at_home", name="has_a_mode"),
        sa.CheckConstraint("rating_count >= 0", name="rating_count_not_negative"),
        sa.Index("ix_provider_listing_status_rating", "listing_status", "rating_average"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # The id other directories know the listing by (HSDS service, FHIR resources): stored, so it survives a move
    # between databases that renumbers the integer ids. Nullable only because SQLite cannot add a NOT NULL column
    # to a filled table without copying it; every row has one (new_uuid, and migration 0012 for older rows).
    uuid: Mapped[str] = mapped_column(sa.String(36), nullable=True, unique=True, index=True,
                                      default=new_uuid)
    # The listing as an organization (HSDS organization, FHIR Organization); uuid is the service it provides.
    organization_uuid: Mapped[str] = mapped_column(sa.String(36), nullable=True, unique=True, index=True,
                                                   default=new_uuid)
    slug: Mapped[str] = mapped_column(sa.String(160), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    website: Mapped[str | None] = mapped_column(sa.String(300))
    phone: Mapped[str | None] = mapped_column(sa.String(32))
    email: Mapped[str | None] = mapped_column(sa.String(254))

    offers_in_clinic: Mapped[bool] = mapped_column(default=True)
    offers_at_home: Mapped[bool] = mapped_column(default=False)

    # Whole US dollars per session: the guide quotes $400–$800 per infusion.
    price_min_usd: Mapped[int | None]
    price_max_usd: Mapped[int | None]
    package_pricing_note: Mapped[str | None] = mapped_column(sa.String(500))
    # Ketamine for these conditions is off-label, so insurance usually does not pay.
    insurance_accepted: Mapped[bool] = mapped_column(default=False)
    insurance_note: Mapped[str | None] = mapped_column(sa.String(300))
    superbill_offered: Mapped[bool] = mapped_column(default=False)
    free_consultation: Mapped[bool] = mapped_column(default=False)
    session_length_minutes: Mapped[int | None]

    listing_status: Mapped[ListingStatus] = mapped_column(
        enum_column(ListingStatus), default=ListingStatus.PENDING, index=True
    )
    # Cached worst status of the licenses that matter; recomputed by licensing.refresh_license_status().
    license_status: Mapped[LicenseStatus] = mapped_column(
        enum_column(LicenseStatus), default=LicenseStatus.UNVERIFIED, index=True
    )
    # Cached from approved, email-confirmed reviews; recomputed by the review domain module.
    rating_count: Mapped[int] = mapped_column(default=0)
    rating_average: Mapped[float | None]
    # The rest of the trust summary (vetting.trust owns it; recomputed in the flush that changes any source):
    # checks verified out of checks, the date the license status turns to expired when no one touches it (so a
    # reader can count by today's date in SQL), and the latest verification behind the summary.
    checks_verified: Mapped[int] = mapped_column(default=0, server_default="0")
    checks_total: Mapped[int] = mapped_column(default=0, server_default="0")
    license_valid_until: Mapped[date | None]
    last_verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    is_demo: Mapped[bool] = mapped_column(default=False, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    # When anything an export or the HSDS API shows about the listing last changed: this row, its clinics, states,
    # clinicians, licenses, checklist or counted reviews (interchange/last_modified.py moves it in every flush).
    # A license passing its expiry date changes what is shown without any row changing; last_modified.py adds it.
    content_modified_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=utcnow, index=True)

    locations: Mapped[list[Location]] = relationship(
        back_populates="provider", cascade="all, delete-orphan", order_by="Location.id"
    )
    service_states: Mapped[list[ServiceState]] = relationship(
        back_populates="provider", cascade="all, delete-orphan", order_by="ServiceState.state"
    )
    route_links: Mapped[list[ProviderRoute]] = relationship(
        back_populates="provider", cascade="all, delete-orphan"
    )
    condition_links: Mapped[list[ProviderCondition]] = relationship(
        back_populates="provider", cascade="all, delete-orphan"
    )
    clinicians: Mapped[list[Clinician]] = relationship(
        back_populates="provider", cascade="all, delete-orphan", order_by="Clinician.id"
    )
    checklist_items: Mapped[list[ChecklistItem]] = relationship(
        back_populates="provider", cascade="all, delete-orphan"
    )
    reviews: Mapped[list[Review]] = relationship(
        back_populates="provider", cascade="all, delete-orphan"
    )

    @property
    def modes(self) -> list[Mode]:
        out = []
        if self.offers_in_clinic:
            out.append(Mode.IN_CLINIC)
        if self.offers_at_home:
            out.append(Mode.AT_HOME)
        return out

    @property
    def routes(self) -> list[Route]:
        return Route.in_order(link.route for link in self.route_links)

    @routes.setter
    def routes(self, values) -> None:
        wanted = {Route(v) for v in values}
        self.route_links = [link for link in self.route_links if link.route in wanted]
        have = {link.route for link in self.route_links}
        self.route_links.extend(ProviderRoute(route=r) for r in Route.in_order(wanted - have))

    @property
    def conditions(self) -> list[Condition]:
        return Condition.in_order(link.condition for link in self.condition_links)

    @conditions.setter
    def conditions(self, values) -> None:
        wanted = {Condition(v) for v in values}
        self.condition_links = [link for link in self.condition_links if link.condition in wanted]
        have = {link.condition for link in self.condition_links}
        self.condition_links.extend(ProviderCondition(condition=c) for c in Condition.in_order(wanted - have))

    @property
    def states_served(self) -> list[str]:
        return [s.state for s in self.service_states]

    @property
    def is_published(self) -> bool:
        return self.listing_status == ListingStatus.PUBLISHED

    def __repr__(self) -> str:
        return f"<Provider {self.id} {self.slug}>"


class Location(db.Model):
    """A clinic address. Unit-vector columns (x, y, z) let radius search run as a dot product in SQL."""

    __tablename__ = "location"
    __table_args__ = (
        sa.CheckConstraint("lat IS NULL OR (lat >= -90 AND lat <= 90)", name="lat_range"),
        sa.CheckConstraint("lon IS NULL OR (lon >= -180 AND lon <= 180)", name="lon_range"),
        sa.Index("ix_location_lat_lon", "lat", "lon"),
        # Radius search reads only this index (no table rows): a bounding box on longitude band and latitude, then
        # a dot product of unit vectors as the spherical distance test, then provider_id for counting and loading.
        # On PostgreSQL the id rides along (SQLite's rowid already does), so scans that return it stay index-only.
        sa.Index("ix_location_search", "searchable", "lon_band", "lat", "lon", "x", "y", "z", "provider_id",
                 "is_only_location", postgresql_include=["id"]),
        # A provider's clinics (the foreign key's index too), and for the at-home list whether one is in the circle.
        sa.Index("ix_location_provider_search", "provider_id", "searchable", "x", "y", "z"),
        # Providers with several clinics, counted apart from search_cell's single sites (search/cells.py).
        sa.Index("ix_location_multi_site", "lon_band", "lat", "lon", "x", "y", "z", "provider_id", "searchable",
                 "is_only_location",
                 sqlite_where=sa.text("searchable = 1 AND is_only_location = 0"),
                 postgresql_where=sa.text("searchable AND NOT is_only_location")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # The id of the provider's service at this clinic (HSDS service_at_location, which the API looks up by it);
    # the HSDS location's own id is derived from it. Stored for the reason Provider.uuid is.
    uuid: Mapped[str] = mapped_column(sa.String(36), nullable=True, unique=True, index=True, default=new_uuid)
    provider_id: Mapped[int] = mapped_column(sa.ForeignKey("provider.id", ondelete="CASCADE"))
    label: Mapped[str | None] = mapped_column(sa.String(120))
    address_line1: Mapped[str] = mapped_column(sa.String(200))
    address_line2: Mapped[str | None] = mapped_column(sa.String(200))
    city: Mapped[str] = mapped_column(sa.String(120))
    state: Mapped[str] = mapped_column(sa.String(2), index=True)
    zip_code: Mapped[str] = mapped_column(sa.String(5))
    lat: Mapped[float | None]
    lon: Mapped[float | None]
    x: Mapped[float | None]
    y: Mapped[float | None]
    z: Mapped[float | None]
    geocoded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    geocode_source: Mapped[str | None] = mapped_column(sa.String(40))
    accepting_new_patients: Mapped[bool] = mapped_column(default=True)
    # Denormalised from the provider so radius search needs no join (kept current by search/index.py):
    # searchable = published, in-clinic and geocoded; is_only_location lets counts skip a DISTINCT.
    searchable: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    is_only_location: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    lon_band: Mapped[int | None]  # geodesy.lon_band(lon), the first key of the search index after searchable

    provider: Mapped[Provider] = relationship(back_populates="locations")

    def set_coordinates(self, lat: float, lon: float, source: str) -> None:
        from clinic_finder.geo.geodesy import lon_band, unit_vector

        self.lat, self.lon = lat, lon
        self.x, self.y, self.z = unit_vector(lat, lon)
        self.lon_band = lon_band(lon)
        self.geocoded_at = utcnow()
        self.geocode_source = source

    @property
    def one_line(self) -> str:
        parts = [self.address_line1, self.address_line2, self.city, f"{self.state} {self.zip_code}"]
        return ", ".join(p for p in parts if p)


class ServiceState(db.Model):
    """A state an at-home (telehealth) provider is licensed to treat patients in."""

    __tablename__ = "service_state"
    # The at-home list counts a state's listed providers with a prescriber licensed today from this index alone.
    __table_args__ = (sa.Index("ix_service_state_state_listed", "state", "listed", "prescriber_until", "has_clinic",
                               "provider_id"),)

    provider_id: Mapped[int] = mapped_column(
        sa.ForeignKey("provider.id", ondelete="CASCADE"), primary_key=True
    )
    state: Mapped[str] = mapped_column(sa.String(2), primary_key=True)
    # Denormalised like Location.searchable (kept current by search/index.py): the provider is published and
    # offers at-home treatment, so a plain at-home search never reads provider rows.
    listed: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    # Also kept current by search/index.py, from the provider's licenses and clinics (licensing/prescribers.py):
    # the last day someone on the team may prescribe in this state (None: nobody may), compared with today when
    # read, so a license lapsing at midnight needs no write; and whether the provider has a clinic in search, the
    # only providers the at-home list must check against the searched circle.
    prescriber_until: Mapped[date | None]
    has_clinic: Mapped[bool] = mapped_column(default=False, server_default=sa.false())

    provider: Mapped[Provider] = relationship(back_populates="service_states")


class ProviderRoute(db.Model):
    __tablename__ = "provider_route"

    provider_id: Mapped[int] = mapped_column(
        sa.ForeignKey("provider.id", ondelete="CASCADE"), primary_key=True
    )
    route: Mapped[Route] = mapped_column(enum_column(Route), primary_key=True, index=True)

    provider: Mapped[Provider] = relationship(back_populates="route_links")


class ProviderCondition(db.Model):
    __tablename__ = "provider_condition"

    provider_id: Mapped[int] = mapped_column(
        sa.ForeignKey("provider.id", ondelete="CASCADE"), primary_key=True
    )
    condition: Mapped[Condition] = mapped_column(enum_column(Condition), primary_key=True, index=True)

    provider: Mapped[Provider] = relationship(back_populates="condition_links")


# What the denormalised search columns mean. search/index.py keeps them in step on every flush (registered by
# create_app); refresh_all_search_flags recomputes them all after bulk loads that bypass the ORM.

def search_flags(provider: Provider, location: Location, sibling_count: int) -> tuple[bool, bool]:
    """(searchable, is_only_location) for one of a provider's locations."""
    searchable = (
        provider.listing_status == ListingStatus.PUBLISHED
        and bool(provider.offers_in_clinic)
        and location.lat is not None
        and location.x is not None
    )
    return searchable, sibling_count == 1


def at_home_listed(provider: Provider) -> bool:
    """ServiceState.listed for the provider's states: it appears in at-home search."""
    return provider.listing_status == ListingStatus.PUBLISHED and bool(provider.offers_at_home)


def refresh_all_search_flags(session: sa.orm.Session) -> None:
    """Recompute the flags for every location in two statements (after bulk loads that bypass the ORM)."""
    published = (
        sa.select(Provider.id)
        .where(Provider.id == Location.provider_id, Provider.listing_status == ListingStatus.PUBLISHED,
               Provider.offers_in_clinic.is_(True))
        .exists()
    )
    session.execute(sa.update(Location).values(
        searchable=sa.and_(published, Location.lat.is_not(None), Location.x.is_not(None))))
    sibling = sa.orm.aliased(Location, name="sibling")
    siblings = (
        sa.select(sa.func.count(sibling.id)).where(sibling.provider_id == Location.provider_id).scalar_subquery()
    )
    session.execute(sa.update(Location).values(is_only_location=(siblings == 1)))
    session.execute(sa.update(ServiceState).values(listed=(
        sa.select(Provider.id)
        .where(Provider.id == ServiceState.provider_id, Provider.listing_status == ListingStatus.PUBLISHED,
               Provider.offers_at_home.is_(True))
        .exists())))
