"""The HSDS taxonomies we publish: our vetting checklist (one term per criterion group, one per checklist item,
defined by vetting.checklist) and the NUCC provider taxonomy codes our clinicians' specialties carry.

Attributes point at these terms (taxonomy_term_id), so a consumer can ask "which providers have a written emergency
protocol on file" by term rather than by parsing text. The terms are defined in code; their ids are uuid5 names, so
they are the same in every database and every export.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from clinic_finder.interchange import nucc
from clinic_finder.interchange.hsds.ids import defined_id
from clinic_finder.vetting.checklist import CHECKLIST, GROUPS, CheckDefinition

CHECKLIST_TAXONOMY = "vetting-checklist"
NUCC_TAXONOMY = "nucc"


@dataclass(frozen=True)
class Taxonomy:
    key: str
    name: str
    description: str
    uri: str | None = None
    version: str | None = None

    @property
    def id(self) -> str:
        return defined_id("taxonomy", self.key)

    def as_json(self) -> dict:
        out = {"id": self.id, "name": self.name, "description": self.description}
        if self.uri:
            out["uri"] = self.uri
        if self.version:
            out["version"] = self.version
        return out


@dataclass(frozen=True)
class Term:
    taxonomy: Taxonomy
    code: str
    name: str
    description: str
    parent_code: str | None = None

    @property
    def id(self) -> str:
        return defined_id(f"term:{self.taxonomy.key}", self.code)

    @property
    def parent_id(self) -> str | None:
        return defined_id(f"term:{self.taxonomy.key}", self.parent_code) if self.parent_code else None

    def as_json(self) -> dict:
        out = {"id": self.id, "code": self.code, "name": self.name, "description": self.description,
               "taxonomy": self.taxonomy.name, "taxonomy_id": self.taxonomy.id, "language": "en"}
        if self.parent_id:
            out["parent_id"] = self.parent_id
        return out


TAXONOMIES = (
    Taxonomy(CHECKLIST_TAXONOMY, "Clinic Finder vetting checklist",
             "What a careful patient checks before choosing a ketamine-therapy provider: experience, professionalism "
             "(licenses) and customer service (reviews), and how a session is kept safe. Each attribute with one of "
             "these terms gives the provider's answer, where it came from, and the date our team verified it.",
             version="1"),
    Taxonomy(NUCC_TAXONOMY, "NUCC Health Care Provider Taxonomy",
             "The National Uniform Claim Committee's code set for the kind and specialty of health care providers; "
             "our clinicians' specialties carry these codes.", uri=nucc.TAXONOMY_URI),
)
_TAXONOMY = {t.key: t for t in TAXONOMIES}


def _check_description(d: CheckDefinition) -> str:
    text = f"{GROUPS[d.group]}: {d.label}."
    if d.applies_to is not None:
        text += f" Asked of providers who treat {d.applies_to.label.lower()}."
    return text + " The attribute's value gives the answer, its source and, when our team verified it, the date."


@cache
def all_terms() -> tuple[Term, ...]:
    checklist = _TAXONOMY[CHECKLIST_TAXONOMY]
    groups = [Term(checklist, key, title, f"The checklist's group of checks on {title.lower()}.")
              for key, title in GROUPS.items()]
    checks = [Term(checklist, d.key, d.label, _check_description(d), parent_code=d.group) for d in CHECKLIST]
    specialties = [Term(_TAXONOMY[NUCC_TAXONOMY], s.code, s.display, f"NUCC code {s.code}: {s.display}.")
                   for s in nucc.all_specialties()]
    return (*groups, *checks, *specialties)


@cache
def _by_id() -> dict[str, Term]:
    return {t.id: t for t in all_terms()}


def term_by_id(term_id: str) -> Term | None:
    return _by_id().get(term_id)


def taxonomy_by_id(taxonomy_id: str) -> Taxonomy | None:
    return next((t for t in TAXONOMIES if t.id == taxonomy_id), None)


def check_term(key: str) -> Term:
    return next(t for t in all_terms() if t.taxonomy.key == CHECKLIST_TAXONOMY and t.code == key)


def specialty_term(code: str) -> Term:
    return next(t for t in all_terms() if t.taxonomy.key == NUCC_TAXONOMY and t.code == code)


def terms_under(term: Term) -> set[str]:
    """The term's id and the ids of its children (a group term stands for every check in it)."""
    return {term.id} | {t.id for t in all_terms() if t.parent_id == term.id}
