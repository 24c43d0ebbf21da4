"""The domain model. Importing this package registers every table on db.metadata."""
from clinic_finder.models.audit import AuditEvent, AuditTrailIsAppendOnly
from clinic_finder.models.board_findings import DisciplinaryAction, RosterMismatch
from clinic_finder.models.checklist import ChecklistItem
from clinic_finder.models.enums import (
    ChecklistSource,
    Condition,
    Credential,
    DisciplineKind,
    LicenseStatus,
    ListingStatus,
    MismatchKind,
    Mode,
    ModerationStatus,
    ProblemCategory,
    RequestStatus,
    Role,
    Route,
    SubmissionKind,
    VerificationSource,
)
from clinic_finder.models.license import Clinician, License
from clinic_finder.models.provider import Location, Provider, ProviderCondition, ProviderRoute, ServiceState
from clinic_finder.models.requests import ConsultationRequest, ListingSubmission, ProblemReport
from clinic_finder.models.review import Review, ReviewReport
from clinic_finder.models.system import GeocodeCacheEntry, JobRun, OutboxMessage, SpentFormToken
from clinic_finder.models.user import StaffSession, User

__all__ = [
    "AuditEvent", "AuditTrailIsAppendOnly", "ChecklistItem", "ChecklistSource", "Clinician", "Condition",
    "ConsultationRequest", "Credential", "DisciplinaryAction", "DisciplineKind", "GeocodeCacheEntry", "JobRun",
    "License", "LicenseStatus", "ListingStatus", "ListingSubmission", "Location", "MismatchKind", "Mode",
    "ModerationStatus", "OutboxMessage", "ProblemCategory", "ProblemReport", "Provider", "ProviderCondition",
    "ProviderRoute", "RequestStatus", "Review", "ReviewReport", "Role", "RosterMismatch", "Route", "ServiceState",
    "SpentFormToken", "StaffSession", "SubmissionKind", "User", "VerificationSource",
]
