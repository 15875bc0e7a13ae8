"""The evidence scale: what each level means, and how the published initiatives
spread over the levels, in all and per main category.

A level says how sure the catalogue is that an initiative works, from what its
strongest source states; `fixtures/README.md` gives the same definitions with the
curators' rules for placing an initiative.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .listing.counting import FacetCounts
from .listing.facets import CATEGORY, EVIDENCE
from .models import EvidenceLevel

DEFINITIONS = {
    EvidenceLevel.DESCRIBED: _(
        "Kilderne beskriver indsatsen – hvad den er, for hvem og hvordan – men angiver "
        "ingen resultater af den. Planer, mål og forventninger er ikke resultater."
    ),
    EvidenceLevel.EXPERIENCE: _(
        "Kilderne angiver resultater fra indsatsens egen drift uden en navngiven "
        "evaluerings- eller undersøgelsesmetode: dens optællinger af deltagere, "
        "aktiviteter og kontakter, dens egne registreringer og deltageres og "
        "personales oplevelser og tilbagemeldinger."
    ),
    EvidenceLevel.EVALUATED: _(
        "Kilderne angiver, hvad en evaluering eller undersøgelse af indsatsen fandt, "
        "og nævner metoden: en evaluering, interview, en spørgeskema- eller "
        "brugerundersøgelse, en analyse af data eller målinger af deltagernes "
        "helbred eller adfærd over tid – foretaget af indsatsen selv, en ekstern "
        "evaluator eller forskere – men uden en sammenligningsgruppe."
    ),
    EvidenceLevel.EFFECT_SHOWN: _(
        "Kilderne angiver en effekt, som en kontrolleret sammenligning har vist: et "
        "lodtrækningsforsøg eller en sammenligning med en gruppe, der ikke fik "
        "indsatsen."
    ),
}


@dataclass(frozen=True)
class LevelCount:
    level: EvidenceLevel
    count: int

    @property
    def definition(self) -> str:
        return DEFINITIONS[self.level]


def level_counts(counts: FacetCounts | None = None) -> list[LevelCount]:
    """Every level, weakest first, with how many published initiatives have it."""
    options = (counts or FacetCounts.of()).facet(EVIDENCE).options
    return [LevelCount(EvidenceLevel(option.key), option.count) for option in options]


def levels_by_main_category(everything: FacetCounts) -> dict:
    """Main category × level: how many published initiatives, with a last row for
    the whole catalogue (an initiative in two main categories counts in both rows,
    once in the last)."""
    mains = [o for o in everything.facet(CATEGORY).options if not o.is_child]
    rows = []
    for main in mains:
        in_main = FacetCounts(everything.index, {CATEGORY: [main.key]})
        cells = [level.count for level in level_counts(in_main)]
        rows.append({"category": main, "label": main.label, "cells": cells})
    return {
        "levels": list(EvidenceLevel),
        "rows": rows,
        "total": [level.count for level in level_counts(everything)],
    }
