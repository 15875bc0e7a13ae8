"""Synthetic catalogue data for benchmarks: Danish-looking text and relations shaped
like the real fixtures, the same for the same seed.

Words, places, settings and the spread of years, scopes and regions are drawn from the
real, loaded catalogue, so the synthetic rows look and sort like real ones.
"""

import random
import re
from dataclasses import dataclass

from django.utils.text import slugify

from .models import Initiative, Organisation

PREFIX = "syntetisk"
ORGANISATION_SUFFIXES = {
    "kommune": "Kommune",
    "hospital": "Hospital",
    "civilsamfund": "Forening",
    "forskning": "Videncenter",
    "andet": "Netværk",
    "virksomhed": "ApS",
    "region": "Regionale Tilbud",
    "boligforening": "Boligselskab",
    "stat": "Styrelse",
}
ROLES = [
    ("partner", 128),
    ("ansvarlig", 116),
    ("udfoerer", 57),
    ("bevillingsgiver", 41),
    ("afsender", 31),
    ("evaluator", 14),
    ("udvikler", 10),
]
UNITS = ["borgere", "deltagere", "procent", "patienter", "forløb", "kr."]


@dataclass
class RealSpread:
    """What the real catalogue holds, to draw from: words and one row of facts per
    real initiative (years, scope, place, setting and how many regions)."""

    words: list[str]
    examples: list[tuple]

    @classmethod
    def from_database(cls) -> "RealSpread":
        real = Initiative.objects.exclude(slug__startswith=PREFIX).order_by("slug")
        texts = real.values_list("summary", "purpose", "description")
        words = [w for row in texts for w in re.findall(r"[^\W\d_]{3,}", " ".join(row))]
        examples = [
            (*row, initiative.regions.count())
            for initiative, row in zip(
                real,
                real.values_list("start_year", "end_year", "scope", "place", "setting"),
                strict=True,
            )
        ]
        return cls(words or ["indsats", "borgere", "sundhed"], examples)


class SyntheticValues:
    """Draws everything from one seeded random generator."""

    def __init__(self, seed: int, spread: RealSpread):
        self.random = random.Random(seed)
        self.spread = spread

    def words(self, low: int, high: int) -> str:
        count = self.random.randint(low, high)
        return " ".join(self.random.choices(self.spread.words, k=count))

    def sentence(self) -> str:
        text = self.words(6, 22)
        return text[0].upper() + text[1:] + "."

    def paragraph(self, characters: int) -> str:
        sentences = []
        while sum(len(s) + 1 for s in sentences) < characters:
            sentences.append(self.sentence())
        return " ".join(sentences)

    def maybe(self, probability: float, text: str) -> str:
        return text if self.random.random() < probability else ""

    def initiative(self, number: int) -> Initiative:
        name = self.words(2, 6).capitalize()
        start, end, scope, place, setting, _ = self.random.choice(self.spread.examples)
        return Initiative(
            name=name,
            slug=f"{PREFIX}-{number}-{slugify(name)[:60]}".rstrip("-"),
            status=Initiative.Status.PUBLISHED,
            summary=self.paragraph(self.random.randint(120, 300)),
            purpose=self.maybe(0.8, self.paragraph(self.random.randint(80, 400))),
            description=self.maybe(0.8, self.paragraph(self.random.randint(200, 1500))),
            target_group_text=self.maybe(0.95, self.sentence()),
            start_year=start,
            end_year=end,
            scope=scope,
            place=place,
            setting=setting,
            budget_dkk=self.random.randrange(50_000, 20_000_000, 1000)
            if self.random.random() < 0.12
            else None,
        )

    def organisation(self, number: int, region_ids: list[int]) -> Organisation:
        kind = self.random.choices(
            list(ORGANISATION_SUFFIXES), weights=[58, 37, 38, 17, 15, 7, 6, 4, 3]
        )[0]
        name = f"{self.words(1, 2).title()} {ORGANISATION_SUFFIXES[kind]}"
        return Organisation(
            name=name,
            slug=f"{PREFIX}-{number}-{slugify(name)[:60]}".rstrip("-"),
            kind=kind,
            region_id=self.random.choice([*region_ids, None]),
        )

    def region_count(self) -> int:
        return self.random.choice(self.spread.examples)[-1]

    def role(self) -> str:
        names, weights = zip(*ROLES, strict=True)
        return self.random.choices(names, weights=weights)[0]

    def outcome_values(self) -> dict:
        if self.random.random() < 0.4:
            figure = self.random.randint(5, 5000)
            return {
                "kind": "kvantitativ",
                "text": f"{self.sentence()[:-1]} ({figure}).",
                "figure": figure,
                "unit": self.random.choice(UNITS),
                "refers_to": str(self.random.randint(2009, 2024)),
            }
        return {"kind": "kvalitativ", "text": self.paragraph(100)}
