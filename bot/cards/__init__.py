"""Adaptive Card builders: each returns an attachment dict ready for an activity."""
from .confirm import confirm_card
from .desk import progress_card, risk_card
from .files import download_link_card, file_consent_card, file_info_card
from .import_offer import import_offer_card
from .info import explain_card, help_card, message_card, resume_card
from .question import question_card
from .respondent import field_card, org_type_card, respondent_form_card, union_card
from .review import review_card, status_card

__all__ = [
    "confirm_card",
    "download_link_card",
    "explain_card",
    "field_card",
    "file_consent_card",
    "file_info_card",
    "help_card",
    "import_offer_card",
    "message_card",
    "org_type_card",
    "progress_card",
    "question_card",
    "respondent_form_card",
    "resume_card",
    "review_card",
    "risk_card",
    "status_card",
    "union_card",
]
