"""One validator of a provider record, whichever door the record comes through: the demo seed, a file import, the
public listing form and its corrections, an admin's edit or approval.

validate_provider(record, level) returns the record normalized, or raises the input kit's InvalidInput with one
FieldProblem per field ("phone", "locations[1].zip_code", "clinicians[2].licenses[1].state"). The rules are split
by section (identity, contact, places, care, clinicians, checklist), each a module of small functions.
"""
from clinic_finder.listings.record.level import Level
from clinic_finder.listings.record.validate import validate_provider

__all__ = ["Level", "validate_provider"]
