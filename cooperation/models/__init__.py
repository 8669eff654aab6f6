"""The cooperation app's models, one module per concept; import them from here
(``from cooperation.models import Agreement``)."""

from .agreements import (
    STALLED_AFTER_MONTHS,
    Agreement,
    AgreementQuerySet,
    Sector,
    can_see_drafts,
    in_force_condition,
)
from .base import AgreementPartManager
from .clock import months_before, today
from .derived import SEARCH_FIELDS, AgreementRegion, SearchDocument
from .documents import (
    DOCUMENT_SIGNATURES,
    MAX_DOCUMENT_SIZE,
    Document,
    document_upload_to,
    is_new_upload,
    sniff_document,
    validate_document_file,
)
from .follow_ups import (
    DuePrecision,
    FollowUp,
    FollowUpOccurrence,
    FollowUpQuerySet,
    Recurrence,
    due_label,
    period_end,
)
from .identity import DataVersion, SiteIdentity
from .monitoring import (
    EVALUATION_DUE_AFTER_MONTHS,
    Assessment,
    Evaluation,
    EvaluationPeriod,
    evaluation_due_since,
)
from .parties import Participant, Party
from .relations import AgreementRelation, RelationType
from .reminders import OrganisationContact, ReminderKind, ReminderSent, ReminderSubscription
from .sources import Citation, Source
from .terms import MONEY_KINDS, Term, TermQuerySet, yearly_money_flows

__all__ = [
    "DOCUMENT_SIGNATURES",
    "EVALUATION_DUE_AFTER_MONTHS",
    "MONEY_KINDS",
    "MAX_DOCUMENT_SIZE",
    "SEARCH_FIELDS",
    "STALLED_AFTER_MONTHS",
    "Agreement",
    "AgreementRegion",
    "AgreementRelation",
    "AgreementPartManager",
    "AgreementQuerySet",
    "Assessment",
    "Citation",
    "DataVersion",
    "Document",
    "DuePrecision",
    "Evaluation",
    "EvaluationPeriod",
    "FollowUp",
    "FollowUpOccurrence",
    "FollowUpQuerySet",
    "OrganisationContact",
    "Participant",
    "SearchDocument",
    "SiteIdentity",
    "Party",
    "Recurrence",
    "RelationType",
    "ReminderKind",
    "ReminderSent",
    "ReminderSubscription",
    "Sector",
    "Source",
    "Term",
    "TermQuerySet",
    "can_see_drafts",
    "in_force_condition",
    "document_upload_to",
    "due_label",
    "evaluation_due_since",
    "is_new_upload",
    "months_before",
    "period_end",
    "sniff_document",
    "today",
    "validate_document_file",
    "yearly_money_flows",
]
