"""`flask import FILE`: CSV (the export's columns) or a seed-format JSON file, validated whole before loading.

An import is not a verification: checklist facts arrive as reported by the provider, licenses as unverified,
and reviews are never imported (they only come through the moderated review form).
"""
from __future__ import annotations

import copy
from pathlib import Path

from clinic_finder.interchange.csv_format import read_csv
from clinic_finder.interchange.seeding import SeedError, SeedResult, read_seed_files, store_rows
from clinic_finder.vetting.checklist import DERIVED_KEYS


def _untrusted(data: dict) -> dict:
    data = copy.deepcopy(data)
    if isinstance(data.get("checklist"), list):
        # Reviews are never imported, so neither is what they say; derived facts are worked out here, not read.
        data["checklist"] = [item for item in data["checklist"] if not (
            isinstance(item, dict) and (item.get("source") == "from_reviews" or item.get("key") in DERIVED_KEYS))]
    for item in data.get("checklist") or []:
        if isinstance(item, dict):
            item.pop("verified_days_ago", None)
            item.pop("verified_by", None)
            if item.get("source") == "admin_verified":
                item["source"] = "self_reported"
    for clinician in data.get("clinicians") or []:
        for lic in (clinician.get("licenses") or []) if isinstance(clinician, dict) else []:
            if isinstance(lic, dict):
                lic["status"] = "unverified"
                for key in ("verified_days_ago", "verification_source", "evidence_note"):
                    lic.pop(key, None)
    data.pop("reviews", None)
    return data


def import_file(path: Path) -> SeedResult:
    suffix = path.suffix.lower()
    if suffix == ".csv":
        try:
            rows = [(path.name, i, r) for i, r in read_csv(path)]
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            raise SeedError([f"{path.name}: {exc}"]) from None
    elif suffix == ".json":
        rows = read_seed_files([path])
    else:
        raise SeedError([f"{path.name}: unsupported file type {suffix or '(none)'}; use .csv or .json"])
    if not rows:
        raise SeedError([f"{path.name}: no providers in the file"])
    return store_rows([(f, i, _untrusted(d) if isinstance(d, dict) else d) for f, i, d in rows], demo=False)
