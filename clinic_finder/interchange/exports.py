"""The directory's exports by name: what `flask export --format …` and the admins' download links both call, so
a file means the same whichever door it came out of."""
from __future__ import annotations

import io
import json
from collections.abc import Iterable
from typing import TextIO

from clinic_finder.interchange import csv_format, fhir, hsds
from clinic_finder.models import Provider

# format: (file name, media type) of a download. CSV is two files (csv_format), so it downloads as a zip.
FORMATS = {
    "hsds": ("hsds-services.json", "application/json"),
    "fhir": ("fhir-plan-net-bundle.json", "application/fhir+json"),
    "csv": ("providers.zip", "application/zip"),
}


def write_export(fmt: str, providers: Iterable[Provider], out: TextIO) -> None:
    """HSDS 3.0 compiled services (a JSON array) or a FHIR R4 Plan-Net collection Bundle, as text."""
    if fmt == "hsds":
        json.dump(list(hsds.export_services(providers)), out, ensure_ascii=False, indent=1)
    elif fmt == "fhir":
        json.dump(fhir.export_bundle(providers), out, ensure_ascii=False, indent=1)
    else:
        raise ValueError(f"unknown text export format {fmt!r}")


def export_bytes(fmt: str, providers: Iterable[Provider]) -> bytes:
    """A download: the zip of the CSV's two files, or the JSON as UTF-8."""
    if fmt == "csv":
        packed = io.BytesIO()
        csv_format.write_csv_zip(providers, packed)
        return packed.getvalue()
    out = io.StringIO()
    write_export(fmt, providers, out)
    return out.getvalue().encode()
