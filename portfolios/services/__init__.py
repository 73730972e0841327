"""Writes with rules. Views, commands and the seed call these; nothing else saves a
placement or its evidence.

Each service raises django.core.exceptions.ValidationError with messages keyed by field, so a
form can show each message beside the field it concerns, and PermissionDenied when the actor
may not take the step at all.
"""

from portfolios.services.agreements import (
    agreement_amend,
    agreement_can_draft,
    agreement_current,
    agreement_required_roles,
    agreement_save,
    agreement_sign,
    agreement_sign_problems,
    agreement_signer_roles,
)
from portfolios.services.attendance import (
    attendance_confirm_week,
    attendance_record,
    attendance_recount,
    attendance_remove,
    attendance_update,
    can_confirm_attendance,
)
from portfolios.services.evidence import (
    evidence_comment_add,
    evidence_create,
    evidence_file_delete,
    evidence_review,
    evidence_submit,
    evidence_update,
    evidence_verify,
    pending_uploads_purge,
    pending_uploads_store,
    placement_confidential_names_set,
)
from portfolios.services.placements import (
    DEFAULT_REQUIRED_DAYS,
    TRANSITIONS,
    actor_relations,
    allowed_transitions,
    placement_create,
    placement_transition,
    placement_update,
    placement_write_reopen,
)
from portfolios.services.structured import (
    feedback_give,
    feedback_quote_set,
    feedback_request_create,
    feedback_request_for_token,
    observation_feedback_save,
    supervision_record_confirm,
    supervision_record_create,
)

__all__ = [
    "DEFAULT_REQUIRED_DAYS",
    "TRANSITIONS",
    "actor_relations",
    "agreement_amend",
    "agreement_can_draft",
    "agreement_current",
    "agreement_required_roles",
    "agreement_save",
    "agreement_sign",
    "agreement_sign_problems",
    "agreement_signer_roles",
    "allowed_transitions",
    "attendance_confirm_week",
    "attendance_record",
    "attendance_recount",
    "attendance_remove",
    "attendance_update",
    "can_confirm_attendance",
    "evidence_comment_add",
    "evidence_create",
    "evidence_file_delete",
    "evidence_review",
    "evidence_submit",
    "evidence_update",
    "evidence_verify",
    "feedback_give",
    "feedback_quote_set",
    "feedback_request_create",
    "feedback_request_for_token",
    "observation_feedback_save",
    "pending_uploads_purge",
    "pending_uploads_store",
    "placement_confidential_names_set",
    "placement_create",
    "placement_transition",
    "placement_update",
    "placement_write_reopen",
    "supervision_record_confirm",
    "supervision_record_create",
]
