"""What the admin dashboard shows: each work queue's size (counted by the queue's own module, so the tile and the
queue page cannot disagree), who may act on it, and where it is worked."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from clinic_finder.interchange import review_queue
from clinic_finder.licensing import queue as license_queue
from clinic_finder.listings import problem_reports, submissions
from clinic_finder.models import Role
from clinic_finder.reviews import moderation as review_moderation
from clinic_finder.vetting import freshness

BOTH = (Role.ADMIN, Role.MODERATOR)


@dataclass(frozen=True)
class Tile:
    key: str
    label: str
    count: int
    endpoint: str  # the queue's page; shown as a link only once that page exists
    params: dict = field(default_factory=dict)
    roles: tuple[Role, ...] = (Role.ADMIN,)
    urgent: bool = False


def tiles(today: date, role: Role) -> list[Tile]:
    """The queues this role works on, with their sizes (about six small queries)."""
    out: list[Tile] = []
    if role == Role.ADMIN:
        lic = license_queue.counts(today)
        out += [
            Tile("to_verify", "Licenses to verify", lic["to_verify"], "admin.licenses", {"queue": "to_verify"}),
            Tile("expiring", "Licenses expiring within 30 days", lic["expiring"], "admin.licenses",
                 {"queue": "expiring"}),
            Tile("expired", "Expired licenses", lic["expired"], "admin.licenses", {"queue": "expired"},
                 urgent=lic["expired"] > 0),
            Tile("roster_mismatch", "Licenses a board roster disagrees with", lic["roster_mismatch"],
                 "admin.licenses", {"queue": "roster_mismatch"}, urgent=lic["roster_mismatch"] > 0),
            Tile("listing_submissions", "Pending listing submissions", submissions.pending_count(),
                 "admin.listing_submissions"),
            Tile("problem_reports", "Open problem reports", problem_reports.open_count(), "admin.problem_reports"),
            Tile("recheck_due", "Verified over a year ago (due for re-check)", freshness.due_count(),
                 "admin.recheck_due"),
        ]
        imports = review_queue.counts()
        out += [
            Tile("imports_to_review", "Imports to review", imports["to_review"], "admin.import_candidates"),
            Tile("deactivated_npis", "Deactivated NPIs", imports["deactivated_npis"], "admin.npi_deactivations",
                 urgent=imports["deactivated_npis"] > 0),
            Tile("import_differences", "Import differences", imports["differences"], "admin.import_differences"),
        ]
    reviews = review_moderation.queue_counts()
    out += [
        Tile("pending_reviews", "Reviews awaiting moderation", reviews.pending, "admin.review_queue", roles=BOTH),
        Tile("reported_reviews", "Reported reviews", reviews.reported, "admin.review_queue", roles=BOTH),
    ]
    return [t for t in out if role in t.roles]


def upcoming_expiries(today: date, limit: int = 5):
    """The licenses that lapse soonest, for the dashboard's short list."""
    return license_queue.list_queue("expiring", 1, limit, today).items


def next_to_verify(today: date, limit: int = 5):
    """The first licenses waiting for a check (soonest expiry first)."""
    return license_queue.list_queue("to_verify", 1, limit, today).items
