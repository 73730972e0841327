from portfolios.forms.placements import (
    CohortFilterForm,
    DateInput,
    PlacementCreateForm,
    PlacementTransitionForm,
    PlacementUpdateForm,
    WriteReopenForm,
    apply_service_errors,
)

__all__ = [
    "CohortFilterForm",
    "DateInput",
    "PlacementCreateForm",
    "PlacementTransitionForm",
    "PlacementUpdateForm",
    "WriteReopenForm",
    "apply_service_errors",
]
