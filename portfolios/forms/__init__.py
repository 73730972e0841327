from portfolios.forms.placements import (
    CohortFilterForm,
    DateInput,
    PlacementCreateForm,
    PlacementTransitionForm,
    PlacementUpdateForm,
    apply_service_errors,
)

__all__ = [
    "CohortFilterForm",
    "DateInput",
    "PlacementCreateForm",
    "PlacementTransitionForm",
    "PlacementUpdateForm",
    "apply_service_errors",
]
