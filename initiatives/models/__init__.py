"""The catalogue's records: reports, categories, organisations, target groups and the
initiatives that tie them together with stated results and source references.

Every model that appears in fixtures has a natural key, so fixtures hold no database ids
and loading them again updates rows instead of duplicating them.
"""

from .initiatives import (
    BudgetPeriod,
    EvidenceLevel,
    Initiative,
    InitiativeQuerySet,
    InitiativeScope,
    InitiativeStatus,
)
from .managers import InitiativePartManager, SlugManager
from .organisations import Organisation, OrganisationKind
from .parts import (
    CategoryAssignment,
    CategoryAssignmentBasis,
    Involvement,
    InvolvementRole,
    Outcome,
    OutcomeFinder,
    OutcomeKind,
    SourceReference,
)
from .search import SearchEntry, SearchWord, StaleSearchText, Synonym
from .sources import (
    SourceDocument,
    SourceDocumentKind,
    SourceDocumentQuerySet,
    SourceDocumentStatus,
    SourceDocumentYearBasis,
)
from .suggestions import Suggestion, SuggestionStatus
from .texts import Redaction, RedactionKind, SourceLine, validate_line_range
from .versions import CatalogueVersion
from .vocabulary import Category, Region, TargetGroup

__all__ = [
    "BudgetPeriod",
    "CatalogueVersion",
    "Category",
    "CategoryAssignment",
    "CategoryAssignmentBasis",
    "EvidenceLevel",
    "Initiative",
    "InitiativePartManager",
    "InitiativeQuerySet",
    "InitiativeScope",
    "InitiativeStatus",
    "Involvement",
    "InvolvementRole",
    "Organisation",
    "OrganisationKind",
    "Outcome",
    "OutcomeFinder",
    "OutcomeKind",
    "Redaction",
    "RedactionKind",
    "Region",
    "SearchEntry",
    "SearchWord",
    "SlugManager",
    "SourceDocument",
    "SourceDocumentKind",
    "SourceDocumentQuerySet",
    "SourceDocumentStatus",
    "SourceDocumentYearBasis",
    "SourceLine",
    "SourceReference",
    "StaleSearchText",
    "Suggestion",
    "SuggestionStatus",
    "Synonym",
    "TargetGroup",
    "validate_line_range",
]
