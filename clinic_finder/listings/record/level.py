"""The two levels a provider record is checked at."""
from __future__ import annotations

import enum


class Level(enum.Enum):
    """DRAFT: every value given is valid, and the record says what it is (a name) and how it treats (in a clinic,
    at home: the database requires one). What an import can know.
    PUBLISHABLE: also what a patient needs before the listing goes live — how and where the provider treats
    (a clinic address, the states served at home), the treatments, the conditions, a starting price."""

    DRAFT = "draft"
    PUBLISHABLE = "publishable"
