from portfolios.models.base import TimeStamped
from portfolios.models.evidence import (
    ConfidentialityConfirmation,
    ConfidentialName,
    Evidence,
    EvidenceComment,
    EvidenceFile,
    EvidenceMapping,
)
from portfolios.models.frameworks import (
    CapabilityFramework,
    Domain,
    Grade,
    GradingScale,
    LevelDescriptor,
    StudentLevel,
)
from portfolios.models.placements import (
    Placement,
    PlacementGroupObjectPermission,
    PlacementStatusChange,
    PlacementUserObjectPermission,
    PracticeArea,
    Programme,
    University,
)

__all__ = [
    "CapabilityFramework",
    "ConfidentialName",
    "ConfidentialityConfirmation",
    "Domain",
    "Evidence",
    "EvidenceComment",
    "EvidenceFile",
    "EvidenceMapping",
    "Grade",
    "GradingScale",
    "LevelDescriptor",
    "Placement",
    "PlacementGroupObjectPermission",
    "PlacementStatusChange",
    "PlacementUserObjectPermission",
    "PracticeArea",
    "Programme",
    "StudentLevel",
    "TimeStamped",
    "University",
]
