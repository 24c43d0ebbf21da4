"""HSDS ids: every object's id is a uuid. A listing, a clinic and a clinician keep a stored uuid (models); what hangs
off them (the organization, a phone, an address, an attribute…) is derived from that uuid by name (uuid5), so it is
as stable as the stored one without a column of its own. Taxonomy terms are defined in code and named the same way.
"""
from __future__ import annotations

import uuid

# Our namespace for ids defined in code (the checklist taxonomy and its terms).
NAMESPACE = uuid.UUID("6f1f7f0e-4c1e-5b8a-9d51-3c0f1f0ad001")


def child_id(parent_uuid: str, kind: str, key: object = "") -> str:
    """The id of the `kind` object (keyed by `key` when a parent has several) that belongs to a stored uuid."""
    return str(uuid.uuid5(uuid.UUID(parent_uuid), f"{kind}:{key}"))


def defined_id(kind: str, key: object) -> str:
    """The id of an object defined in code (a taxonomy or a term), the same in every database."""
    return str(uuid.uuid5(NAMESPACE, f"{kind}:{key}"))


def parse_uuid(raw: str | None) -> str | None:
    """The canonical text of a uuid a client sent, or None when it is not one (so it names nothing we hold)."""
    if raw is None or len(raw) > 64:
        return None
    try:
        return str(uuid.UUID(raw))
    except ValueError:
        return None
