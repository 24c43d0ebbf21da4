"""The US ZIP codes the offline geocoder and the ZIP validator know: a compact file shipped in clinic_finder/data,
generated from the `zipcodes` package by `python -m clinic_finder.geo.zip_data`.

Why not ask `zipcodes` at run time: its Rust extension unpacks its whole dataset (every county, time zone and area
code) into about 37 MB on first use and keeps it for the life of the process, and `list_all()` adds 42,789 dicts
(about 140 MB); the geocoder needs seven columns of 42,000 rows. The shipped file holds exactly those, in the
package's order, and reads in a fraction of the time; tests/search/test_zip_data.py fails when it no longer
matches the installed package (then regenerate it).
"""
from __future__ import annotations

import gzip
import io
import sys
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import NamedTuple

FILE_NAME = "us-zip-codes.tsv.gz"
_HEADER = "zip_code\tkind\tstate\tcity\tlat\tlon\tother_cities"


class ZipCode(NamedTuple):
    zip_code: str
    kind: str  # the Postal Service's type: STANDARD (a delivery area), PO BOX or UNIQUE (one firm or building)
    state: str
    city: str  # as the data spells it ("New York"); labels title-case it
    lat: float
    lon: float
    other_cities: tuple[str, ...]  # other names the Postal Service accepts for the same ZIP


def rows_from_package() -> Iterator[tuple[str, ...]]:
    """The file's rows from the installed `zipcodes` package: military ZIPs (no place on a map) and ZIPs without
    coordinates are left out, as the geocoder would leave them out."""
    from zipcodes import _zipcodes  # the extension itself, so its module-level cache of 42,789 dicts is not kept

    for z in _zipcodes.list_all():
        if z["zip_code_type"] == "MILITARY" or not z["lat"] or float(z["lat"]) == 0:
            continue
        yield (z["zip_code"], z["zip_code_type"], z["state"], z["city"], z["lat"], z["long"],
               "|".join(z.get("acceptable_cities") or ()))


def write(path: Path) -> int:
    """Write the file from the installed package; returns the number of ZIP codes written."""
    count = 0
    # mtime=0: the same data gives the same bytes, so regenerating without a change leaves git with no diff.
    with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, compresslevel=9) as packed, \
            io.TextIOWrapper(packed, encoding="utf-8", newline="\n") as handle:
        handle.write(_HEADER + "\n")
        for row in rows_from_package():
            handle.write("\t".join(row) + "\n")
            count += 1
    return count


def shipped_rows() -> Iterator[tuple[str, ...]]:
    """The shipped file's rows as strings, read a line at a time (the whole text would be 2 MB more at the peak)."""
    with resources.files("clinic_finder.data").joinpath(FILE_NAME).open("rb") as raw, \
            gzip.open(raw, "rt", encoding="utf-8", newline="\n") as lines:
        header = next(lines, "").rstrip("\n")
        if header != _HEADER:
            raise ValueError(f"{FILE_NAME}: unexpected header {header!r}")
        for line in lines:
            yield tuple(line.rstrip("\n").split("\t"))


def read_zip_codes() -> Iterator[ZipCode]:
    """Every ZIP code of the shipped file, in the package's order (ascending ZIP)."""
    shared: dict[str, str] = {}  # one string per distinct state, kind and city name, not one per ZIP
    for zip_code, kind, state, city, lat, lon, other_cities in shipped_rows():
        others = tuple(shared.setdefault(name, name) for name in other_cities.split("|")) if other_cities else ()
        yield ZipCode(zip_code, shared.setdefault(kind, kind), shared.setdefault(state, state),
                      shared.setdefault(city, city), float(lat), float(lon), others)


if __name__ == "__main__":
    target = Path(__file__).resolve().parents[1] / "data" / FILE_NAME
    written = write(target)
    print(f"{target.name}: {written} ZIP codes", file=sys.stderr)
