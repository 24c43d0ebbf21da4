"""The domain model. Importing this package registers every table on db.metadata."""
from .audit import AuditEvent, AuditTrailIsAppendOnly
from .checklist import ChecklistItem
from .enums import (
    ChecklistSource,
    Condition,
    Credential,
    LicenseStatus,
    ListingStatus,
    Mode,
    ModerationStatus,
    ProblemCategory,
    RequestStatus,
    Role,
    Route,
    SubmissionKind,
    VerificationSource,
)
from .license import Clinician, License
from .provider import Location, Provider, ProviderCondition, ProviderRoute, ServiceState
from .requests import ConsultationRequest, ListingSubmission, ProblemReport
from .review import Review, ReviewReport
from .system import GeocodeCacheEntry, JobRun, OutboxMessage
from .user import User

__all__ = [
    "AuditEvent", "AuditTrailIsAppendOnly", "ChecklistItem", "ChecklistSource", "Clinician", "Condition",
    "ConsultationRequest", "Credential", "GeocodeCacheEntry", "JobRun", "License", "LicenseStatus",
    "ListingStatus", "ListingSubmission", "Location", "Mode", "ModerationStatus", "OutboxMessage",
    "ProblemCategory", "ProblemReport", "Provider", "ProviderCondition", "ProviderRoute", "RequestStatus",
    "Review", "ReviewReport", "Role", "Route", "ServiceState", "SubmissionKind", "User", "VerificationSource",
]
