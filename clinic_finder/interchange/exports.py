"""The directory's exports by name, written to a text stream: what `flask export --format …` and the admins'
download links both call, so a file means the same whichever door it came out of."""
from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TextIO

from clinic_finder.interchange import csv_format, fhir, hsds
from clinic_finder.models import Provider

# format: (file name, media type) of a download.
FORMATS = {
    "hsds": ("hsds-services.json", "application/json"),
    "fhir": ("fhir-plan-net-bundle.json", "application/fhir+json"),
    "csv": ("providers.csv", "text/csv"),
}


def write_export(fmt: str, providers: Iterable[Provider], out: TextIO) -> None:
    """HSDS 3.0 compiled services (a JSON array), a FHIR R4 Plan-Net collection Bundle, or CSV."""
    if fmt == "csv":
        csv_format.write_csv(providers, out)
    elif fmt == "hsds":
        json.dump(list(hsds.export_services(providers)), out, ensure_ascii=False, indent=1)
    elif fmt == "fhir":
        json.dump(fhir.export_bundle(providers), out, ensure_ascii=False, indent=1)
    else:
        raise ValueError(f"unknown export format {fmt!r}")
