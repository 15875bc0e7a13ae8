"""Which fixture files make up the catalogue, in the order they must load.

Shared vocabularies come first; then one file per report. An initiative is defined in
the first report file that describes it, and later report files only add their
references, outcomes, involvements and category assignments to it, so order matters.
"""

from pathlib import Path

from django.conf import settings

FIXTURES_DIR = Path(settings.BASE_DIR) / "fixtures"

SHARED_FIXTURES = [
    "documents.yaml",
    "redactions.yaml",
    "categories.yaml",
    "regions.yaml",
    "target_groups.yaml",
    "organisations.yaml",
    "synonyms.yaml",
]
REPORT_FIXTURES = [
    "report_004.yaml",
    "report_001.yaml",
    "report_002.yaml",
    "report_003.yaml",
    "report_000.yaml",
]


def catalogue_fixture_paths() -> list[Path]:
    return [FIXTURES_DIR / name for name in SHARED_FIXTURES + REPORT_FIXTURES]


# The English translations of the initiatives, one file per report
# (fixtures/english/report_00N.yaml), loaded after the reports: whichever exist.
ENGLISH_DIR = FIXTURES_DIR / "english"


def english_translation_paths() -> list[Path]:
    return sorted(ENGLISH_DIR.glob("report_*.yaml"))
