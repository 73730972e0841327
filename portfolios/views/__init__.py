"""Views by subject: placements and dashboards, and evidence."""

from portfolios.views.placements import (
    dashboard_cohort,
    dashboard_educator,
    dashboard_student,
    home,
    placement_create,
    placement_detail,
    placement_transition,
    placement_update,
)

__all__ = [
    "dashboard_cohort",
    "dashboard_educator",
    "dashboard_student",
    "home",
    "placement_create",
    "placement_detail",
    "placement_transition",
    "placement_update",
]
