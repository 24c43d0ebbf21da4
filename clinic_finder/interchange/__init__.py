"""Bulk data in and out: HSDS 3.0 and FHIR R4 exports, CSV export and import, seed-format import."""
