"""The evidence scale: what each level means, and how the published initiatives
spread over the levels, in all and per main category.

A level says how sure the catalogue is that an initiative works, from what its
strongest source states; `fixtures/README.md` gives the same definitions with the
curators' rules for placing an initiative.
"""

from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from .i18n import localized_name
from .models import Category, EvidenceLevel, Initiative

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


def level_counts() -> list[LevelCount]:
    """Every level, weakest first, with how many published initiatives have it."""
    counts = dict(
        Initiative.objects.published()
        .order_by()
        .values_list("evidence_level")
        .annotate(n=Count("pk"))
    )
    return [LevelCount(level, counts.get(level.value, 0)) for level in EvidenceLevel]


def levels_by_main_category() -> dict:
    """Main category × level: how many published initiatives, with a last row for
    the whole catalogue; one query grouped by level, a column per main category (an
    initiative in two main categories counts in both rows, once in the last)."""
    mains = list(Category.objects.filter(parent__isnull=True).order_by("position"))
    in_main = {
        f"main_{main.pk}": Count(
            "pk", filter=Q(category_assignments__category=main), distinct=True
        )
        for main in mains
    }
    by_level = {
        row["evidence_level"]: row
        for row in Initiative.objects.published()
        .order_by()
        .values("evidence_level")
        .annotate(total=Count("pk", distinct=True), **in_main)
    }

    def count(level: EvidenceLevel, column: str) -> int:
        return by_level.get(level.value, {}).get(column, 0)

    return {
        "levels": list(EvidenceLevel),
        "rows": [
            {
                "category": main,
                "label": localized_name(main),
                "cells": [count(level, f"main_{main.pk}") for level in EvidenceLevel],
            }
            for main in mains
        ],
        "total": [count(level, "total") for level in EvidenceLevel],
    }
