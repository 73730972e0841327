"""Roles are Django groups. The group names are the words the interface shows."""

from django.db import models


class Role(models.TextChoices):
    STUDENT = "student", "Student"
    EDUCATOR = "practice educator", "Practice educator"
    SUPERVISOR = "on-site supervisor", "On-site supervisor"
    TUTOR = "tutor", "Tutor"
    COORDINATOR = "placement coordinator", "Placement coordinator"
    PANEL = "panel member", "Panel member"


# Roles whose holders see every placement of the universities they belong to.
UNIVERSITY_WIDE_ROLES = (Role.COORDINATOR, Role.PANEL)
