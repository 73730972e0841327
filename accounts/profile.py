"""A practice educator's professional details, which the final report prints beside their
name: their Practice Educator Professional Standards stage and their registration number."""

import re

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.forms_plain import StatedLimitsMixin
from accounts.models import User
from accounts.roles import Role

# Roles held by qualified social workers, who may be asked for their registration.
PROFESSIONAL_ROLES = (Role.EDUCATOR, Role.SUPERVISOR, Role.TUTOR, Role.COORDINATOR, Role.PANEL)
REGISTRATION = re.compile(r"SW\d{1,8}")


def may_record_details(user: User) -> bool:
    return user.is_authenticated and any(user.has_role(r) for r in PROFESSIONAL_ROLES)


def normalise_registration(value: str) -> str:
    """ "sw 123 456" and "SW123456" are the same number."""
    return re.sub(r"[\s-]", "", value).upper()


def professional_details_save(
    *, actor: User, educator_stage: str, registration_number: str
) -> User:
    if not may_record_details(actor):
        raise PermissionDenied("Professional details are for practice educators and staff.")
    number = normalise_registration(registration_number)
    if number and not REGISTRATION.fullmatch(number):
        raise ValidationError(
            {
                "registration_number": (
                    "Enter your Social Work England registration number as it appears on the "
                    "register: SW followed by its digits, for example SW123456."
                )
            }
        )
    actor.educator_stage = educator_stage
    actor.registration_number = number
    actor.full_clean(validate_unique=False, validate_constraints=False)
    actor.save(update_fields=["educator_stage", "registration_number", "updated_at"])
    return actor


class ProfessionalDetailsForm(StatedLimitsMixin, forms.ModelForm):
    class Meta:
        model = User
        fields = ["educator_stage", "registration_number"]
        help_texts = {
            "educator_stage": "The stage you have completed, if you are a practice educator.",
            "registration_number": "For example SW123456. Leave empty if you are not registered.",
        }
