"""Closed vocabularies of the product, stored as their string values (portable across SQLite/PostgreSQL)."""
from __future__ import annotations

import enum
from functools import cache

import sqlalchemy as sa


class LabelledEnum(str, enum.Enum):
    """A str enum whose members carry a patient-facing label."""

    def __new__(cls, value: str, label: str):
        obj = str.__new__(cls, value)
        obj._value_ = value
        obj.label = label
        return obj

    def __str__(self) -> str:  # "iv", not "Route.IV", in templates and JSON
        return self.value

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        return [(m.value, m.label) for m in cls]

    @classmethod
    def in_order(cls, values) -> list:
        """The members (or their values) in the order the vocabulary declares them: how every page lists them."""
        return sorted((cls(v) for v in values), key=_positions(cls).__getitem__)

    @classmethod
    def parse(cls, raw: str):
        """The member for a value, or ValueError naming the accepted values."""
        try:
            return cls(raw)
        except ValueError:
            allowed = ", ".join(m.value for m in cls)
            raise ValueError(f"'{raw}' is not one of: {allowed}") from None


@cache
def _positions(cls: type[LabelledEnum]) -> dict:
    # list(cls).index for each comparison cost 0.1 ms over a page of results' sorts.
    return {member: i for i, member in enumerate(cls)}


class Mode(LabelledEnum):
    IN_CLINIC = ("in_clinic", "In a clinic")
    AT_HOME = ("at_home", "At home (telehealth)")


class Route(LabelledEnum):
    IV = ("iv", "IV infusion")
    IM = ("im", "Intramuscular injection")
    NASAL = ("nasal", "Nasal esketamine")
    ORAL = ("oral", "Oral / sublingual")


class Condition(LabelledEnum):
    DEPRESSION = ("depression", "Depression")
    ANXIETY = ("anxiety", "Anxiety")
    ANXIETY_DISORDER = ("anxiety_disorder", "Anxiety disorders")
    OCD = ("ocd", "OCD")
    PTSD = ("ptsd", "PTSD")
    CHRONIC_PAIN = ("chronic_pain", "Chronic pain")
    KAP = ("kap", "Ketamine-assisted psychotherapy")


class ListingStatus(LabelledEnum):
    PENDING = ("pending", "Pending review")
    PUBLISHED = ("published", "Published")
    SUSPENDED = ("suspended", "Suspended")
    CLOSED = ("closed", "Closed")


class LicenseStatus(LabelledEnum):
    """Ordered from worst to best: the worst status of the licenses that matter is the provider's."""

    REVOKED = ("revoked", "Revoked")
    EXPIRED = ("expired", "Expired")
    REJECTED = ("rejected", "Could not be verified")
    UNVERIFIED = ("unverified", "Not yet verified")
    PENDING = ("pending", "Verification in progress")
    VERIFIED = ("verified", "Verified")

    @property
    def rank(self) -> int:
        return list(LicenseStatus).index(self)


class Credential(LabelledEnum):
    MD = ("MD", "Doctor of Medicine")
    DO = ("DO", "Doctor of Osteopathic Medicine")
    NP = ("NP", "Nurse Practitioner")
    PA = ("PA", "Physician Assistant")
    CRNA = ("CRNA", "Certified Registered Nurse Anesthetist")
    RN = ("RN", "Registered Nurse")
    LCSW = ("LCSW", "Licensed Clinical Social Worker")
    LPC = ("LPC", "Licensed Professional Counselor")
    PSYD = ("PsyD", "Doctor of Psychology")
    PHD = ("PhD", "Licensed Psychologist (PhD)")


class VerificationSource(LabelledEnum):
    STATE_BOARD = ("state_board", "State licensing board lookup")
    NPI_REGISTRY = ("npi_registry", "NPPES NPI registry")
    DOCUMENT = ("document", "Document supplied by the provider")
    DEMO = ("demo", "Fictional demo data")


class DisciplineKind(LabelledEnum):
    """What a licensing board lists against a license; the board's own words are kept beside the kind."""

    PROBATION = ("probation", "Probation")
    CONSENT_ORDER = ("consent_order", "Consent order")
    SUSPENSION = ("suspension", "Suspension")
    RESTRICTION = ("restriction", "Restriction on practice")
    REPRIMAND = ("reprimand", "Reprimand")
    SURRENDER = ("surrender", "Surrender of the license")
    REVOCATION = ("revocation", "Revocation")
    OTHER = ("other", "Other board action")


class MismatchKind(LabelledEnum):
    """Why a board roster did not confirm one of our licenses (the license queue's "roster mismatches")."""

    STATUS = ("status", "Status differs")
    EXPIRY = ("expiry", "Expiry date differs")
    NAME = ("name", "Name differs")
    NOT_FOUND = ("not_found", "Not on the roster")
    LISTED_TWICE = ("listed_twice", "Listed twice on the roster")


class ChecklistSource(LabelledEnum):
    SELF_REPORTED = ("self_reported", "Reported by the provider")
    ADMIN_VERIFIED = ("admin_verified", "Verified by our team")
    FROM_REVIEWS = ("from_reviews", "From patient reviews")


class ModerationStatus(LabelledEnum):
    PENDING = ("pending", "Awaiting moderation")
    APPROVED = ("approved", "Published")
    REJECTED = ("rejected", "Rejected")


class Role(LabelledEnum):
    ADMIN = ("admin", "Administrator")
    MODERATOR = ("moderator", "Moderator")


class SubmissionKind(LabelledEnum):
    NEW_LISTING = ("new_listing", "New listing")
    CORRECTION = ("correction", "Correction")


class ProblemCategory(LabelledEnum):
    WRONG_PHONE = ("wrong_phone", "Wrong phone number")
    WRONG_ADDRESS = ("wrong_address", "Wrong address")
    CLOSED = ("closed", "Provider has closed")
    NOT_ACCEPTING = ("not_accepting", "Not accepting new patients")
    LICENSE_CONCERN = ("license_concern", "License concern")
    OTHER = ("other", "Something else")


class ImportSource(LabelledEnum):
    FILE = ("file", "Our CSV or JSON file")
    NPPES = ("nppes", "NPPES NPI file")


class RequestStatus(LabelledEnum):
    OPEN = ("open", "Open")
    RESOLVED = ("resolved", "Resolved")
    DISMISSED = ("dismissed", "Dismissed")


def enum_column(enum_cls: type[enum.Enum]) -> sa.Enum:
    """A VARCHAR + CHECK enum storing member values, so adding a member is a plain migration."""
    return sa.Enum(
        enum_cls,
        native_enum=False,
        create_constraint=True,
        length=32,
        validate_strings=True,
        values_callable=lambda members: [m.value for m in members],
        name=enum_cls.__name__.lower(),
    )
