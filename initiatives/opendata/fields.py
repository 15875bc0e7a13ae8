"""Every column of the data package's tables: its name, where it comes from in the
database, its Frictionless type and what it means, in Danish and English.

Only what the public pages show: no contact persons, draft status, search columns or
curators' notes on organisations.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # a Frictionless field type
    description: str
    description_en: str
    lookup: str = ""  # the database lookup, when it is not `name`
    required: bool = False
    # A report's own words: its publisher's, quoted, not under the catalogue's licence.
    quoted: bool = False

    def __post_init__(self):
        if not self.lookup:
            object.__setattr__(self, "lookup", self.name)

    def descriptor(self) -> dict:
        field = {
            "name": self.name,
            "type": self.type,
            "description": self.description,
            "description_en": self.description_en,
        }
        if self.required:
            field["constraints"] = {"required": True}
        if self.quoted:
            field["quoted_report_text"] = True
        return field


def key(name: str = "id", lookup: str = "pk") -> Column:
    return Column(
        name,
        "integer",
        "Nummeret i kataloget.",
        "The number in the catalogue.",
        lookup=lookup,
        required=True,
    )


def points_to(
    name: str, table_da: str, table_en: str, required: bool = True, lookup: str = ""
) -> Column:
    return Column(
        name,
        "integer",
        f"Nummeret på {table_da}.",
        f"The number of the {table_en}.",
        lookup=lookup,
        required=required,
    )


def slug() -> Column:
    return Column(
        "slug",
        "string",
        "Det faste navn i sidens webadresse.",
        "The fixed name in the page's web address.",
        required=True,
    )


def text(name: str, description: str, description_en: str, **kwargs) -> Column:
    return Column(name, "string", description, description_en, **kwargs)


def year(name: str, description: str, description_en: str) -> Column:
    return Column(name, "integer", description, description_en)


TABLE_TITLES = {
    "initiatives": ("Indsatser", "Initiatives"),
    "sources": ("Kilder (de fem rapporter)", "Sources (the five reports)"),
    "references": ("Kildehenvisninger", "Source references"),
    "categories": ("Kategorier (rapport 004's Figur 3.1)", "Categories (report 004)"),
    "placements": ("Kategoriplaceringer", "Category placements"),
    "target_groups": ("Målgrupper", "Target groups"),
    "initiative_target_groups": ("Indsatsers målgrupper", "Initiatives' target groups"),
    "regions": ("Regioner", "Regions"),
    "initiative_regions": ("Indsatsers regioner", "Initiatives' regions"),
    "organisations": ("Organisationer", "Organisations"),
    "involvements": ("Medvirkende organisationer", "Involved organisations"),
    "results": ("Resultater, som kilderne angiver", "Results the sources state"),
}

NAME = text("name", "Navnet.", "The name.", required=True)
NAME_EN = text("name_en", "Det engelske navn.", "The English name.")

TABLE_FIELDS: dict[str, list[Column]] = {
    "initiatives": [
        key(),
        slug(),
        NAME,
        text("summary", "Kort resumé.", "Short summary.", required=True),
        text("purpose", "Formål.", "Purpose."),
        text(
            "name_en",
            "Navnet på engelsk: en oversættelse af det danske navn, ingen nye "
            "oplysninger.",
            "The name in English: a translation of the Danish name, with no new facts.",
        ),
        text(
            "summary_en",
            "Resuméet på engelsk: en oversættelse af det danske.",
            "The summary in English: a translation of the Danish one.",
        ),
        text(
            "purpose_en",
            "Formålet på engelsk, hvor der er et dansk: en oversættelse af det.",
            "The purpose in English, where there is a Danish one: a translation of it.",
        ),
        text(
            "english_outdated",
            "'ja', hvis det danske navn, resumé eller formål er ændret, siden den "
            "engelske tekst blev skrevet; ellers tom.",
            "'ja' (yes) if the Danish name, summary or purpose has changed since the "
            "English was written; empty otherwise.",
            lookup="english_outdated",
        ),
        text(
            "description", "Beskrivelse (kun på dansk).", "Description (Danish only)."
        ),
        text(
            "target_group_text",
            "Målgruppen med kildens ord.",
            "The target group in the source's words.",
            quoted=True,
        ),
        year(
            "start_year", "Startår, hvor kilden angiver det.", "Start year, if given."
        ),
        year("end_year", "Slutår, hvor kilden angiver det.", "End year, if given."),
        text(
            "period_text",
            "Perioden med kildens ord.",
            "The period in the source's words.",
            quoted=True,
        ),
        text(
            "scope",
            "Rækkevidde: lokal, regional, national eller udland.",
            "Reach: lokal (local), regional, national or udland (abroad).",
        ),
        text("place", "Kommune, by eller land.", "Municipality, town or country."),
        text("setting", "Hvor det foregår.", "Where it takes place."),
        Column(
            "budget_dkk",
            "integer",
            "Budget i kroner, hvor kilden angiver det.",
            "Budget in Danish kroner, if the source gives it.",
        ),
        text(
            "budget_text",
            "Budgettet med kildens ord.",
            "The budget in the source's words.",
            quoted=True,
        ),
    ],
    "sources": [
        key(),
        text(
            "code", "Rapportens nummer, 000-004.", "The report's number.", required=True
        ),
        slug(),
        text("title", "Titel.", "Title.", required=True, quoted=True),
        text("short_title", "Kort titel.", "Short title."),
        text(
            "publisher", "Udgiver, hvis rapporten siger det.", "Publisher, if stated."
        ),
        text(
            "publisher_note",
            "Hvem kataloget forstår står bag rapporten, og hvorfor (en kurators "
            "vurdering), hvor rapporten ikke selv siger det.",
            "Who the catalogue understands to be behind the report, and why (a "
            "curator's judgement), where the report does not say.",
        ),
        text(
            "publisher_short",
            "Udgiverens korte navn, som i kildelinjer (fx VIVE).",
            "The publisher's short name, as in source lines (e.g. VIVE).",
        ),
        year("year", "Udgivelsesår.", "Year of publication."),
        text(
            "year_basis",
            "angivet (i rapporten) eller udledt (af en kurator).",
            "angivet (stated in the report) or udledt (inferred by a curator).",
        ),
        text("kind", "Rapporttype.", "Kind of report."),
        text("file_name", "Tekstfilens navn.", "The text file's name."),
        text("description", "Hvad rapporten er.", "What the report is."),
        text("notes", "Kuratorens noter om teksten.", "The curator's notes on it."),
    ],
    "references": [
        key(),
        points_to("initiative_id", "indsatsen", "initiative"),
        points_to("source_id", "rapporten", "report", lookup="document_id"),
        text(
            "locator",
            "Hvor i rapporten: afsnit, bilag, indstilling.",
            "Where in the report: section, appendix, nomination.",
            required=True,
        ),
        Column(
            "line_start",
            "integer",
            "Første linje i rapportens tekstfil.",
            "First line in the report's text file.",
            required=True,
        ),
        Column(
            "line_end",
            "integer",
            "Sidste linje i rapportens tekstfil.",
            "Last line in the report's text file.",
            required=True,
        ),
        text(
            "cited_source",
            "Kilde, som rapporten angiver.",
            "The publication the report cites.",
            quoted=True,
        ),
        year("cited_year", "Den angivne kildes år.", "The cited publication's year."),
        text(
            "links",
            "Webadresser, rapporten angiver, én pr. linje.",
            "Web addresses the report gives, one per line.",
        ),
        text("note", "Note om teksten.", "Note on the text."),
    ],
    "categories": [
        key(),
        slug(),
        NAME,
        NAME_EN,
        points_to("parent_id", "hovedkategorien", "main category", required=False),
        text(
            "definition",
            "Definitionen med rapport 004's ord.",
            "The definition in report 004's words.",
            quoted=True,
        ),
        text(
            "definition_locator",
            "Hvor definitionen står.",
            "Where the definition is.",
        ),
        Column(
            "position",
            "integer",
            "Rækkefølge i Figur 3.1.",
            "Order in Figure 3.1.",
        ),
    ],
    "placements": [
        points_to("initiative_id", "indsatsen", "initiative"),
        points_to("category_id", "kategorien", "category"),
        text(
            "basis",
            "rapport (rapport 004 placerer den her) eller redaktionel (en kurators "
            "vurdering).",
            "rapport (report 004 places it here) or redaktionel (a curator's "
            "judgement).",
            required=True,
        ),
        points_to(
            "reference_id",
            "kildehenvisningen (når grundlaget er rapport)",
            "source reference (when stated in report 004)",
            required=False,
        ),
        text("note", "Kuratorens begrundelse.", "The curator's reasons."),
    ],
    "target_groups": [
        key(),
        slug(),
        NAME,
        NAME_EN,
        text("description", "Hvem der hører hertil.", "Who belongs here."),
    ],
    "initiative_target_groups": [
        points_to("initiative_id", "indsatsen", "initiative"),
        points_to(
            "target_group_id", "målgruppen", "target group", lookup="targetgroup_id"
        ),
    ],
    "regions": [key(), slug(), NAME],
    "initiative_regions": [
        points_to("initiative_id", "indsatsen", "initiative"),
        points_to("region_id", "regionen", "region"),
    ],
    "organisations": [
        key(),
        slug(),
        NAME,
        text("kind", "Organisationstype.", "Kind of organisation.", required=True),
        points_to("region_id", "regionen", "region", required=False),
        points_to("parent_id", "den organisation, den er en del af", "parent", False),
    ],
    "involvements": [
        points_to("initiative_id", "indsatsen", "initiative"),
        points_to("organisation_id", "organisationen", "organisation"),
        text(
            "role",
            "Rollen: ansvarlig, partner, bevillingsgiver, evaluator, udfoerer, "
            "afsender eller udvikler.",
            "The role: owner, partner, funder, evaluator, performer, sender or "
            "developer (in Danish).",
            required=True,
        ),
        text("note", "Note om medvirken.", "Note on the involvement."),
    ],
    "results": [
        key(),
        points_to("initiative_id", "indsatsen", "initiative"),
        points_to("reference_id", "kildehenvisningen", "source reference"),
        Column(
            "position",
            "integer",
            "Rækkefølge blandt resultaterne fra samme kildehenvisning.",
            "Order among the results from the same reference.",
        ),
        text(
            "text",
            "Resultatet, som rapporten angiver det.",
            "The result as the report states it.",
            required=True,
            quoted=True,
        ),
        Column("figure", "number", "Tallet, hvis der er et.", "The figure, if any."),
        text("unit", "Tallets enhed.", "The figure's unit."),
        text(
            "kind",
            "kvantitativ eller kvalitativ.",
            "kvantitativ (quantitative) or kvalitativ (qualitative).",
        ),
        text(
            "refers_to",
            "Tidspunktet, resultatet gælder, med rapportens ord.",
            "When the result applies, in the report's words.",
            quoted=True,
        ),
        Column(
            "refers_to_date",
            "date",
            "Det samme som dato, hvor rapporten angiver en.",
            "The same as a date, where the report gives one.",
        ),
    ],
}
