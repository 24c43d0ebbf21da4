"""Open Referral HSDS 3.0: the one serializer (objects), the taxonomies we publish (taxonomy), stored-uuid ids
(ids) and the directory read the HSDS way (directory). The export and the /hsds API both use them."""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date

from clinic_finder.interchange.hsds.objects import service_json
from clinic_finder.models import Provider


def export_services(providers: Iterable[Provider], today: date | None = None) -> Iterator[dict]:
    """The export: each published provider as one fully nested service."""
    for p in providers:
        yield service_json(p, today)
