import itertools

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from initiatives.models import (
    CatalogueVersion,
    Category,
    CategoryAssignment,
    Initiative,
    Involvement,
    Organisation,
    Outcome,
    Region,
    SourceDocument,
    SourceReference,
    TargetGroup,
)
from initiatives.search import refresh_search_text
from initiatives.synthetic import PREFIX, RealSpread, SyntheticValues

BATCH = 2000
Basis = CategoryAssignment.Basis


class Command(BaseCommand):
    help = (
        "Add N synthetic, published initiatives shaped like the real ones, for "
        "benchmarks; the same seed gives the same data. Run load_catalogue first. "
        "Earlier synthetic initiatives and organisations are replaced."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--initiatives", type=int, required=True)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--organisations",
            type=int,
            help="How many synthetic organisations (default: one per 20 initiatives).",
        )

    def handle(self, *args, **options) -> None:
        count = options["initiatives"]
        values = SyntheticValues(options["seed"], RealSpread.from_database())
        with transaction.atomic():
            self.delete_synthetic()
            organisations = self.create_organisations(
                values, options["organisations"] or max(50, count // 20)
            )
            inserter = BatchInserter(values, organisations)
            for start in range(0, count, BATCH):
                inserter.create_batch(range(start, min(start + BATCH, count)))
            refresh_search_text(Initiative.objects.filter(slug__startswith=PREFIX))
            # Bulk inserts send no signals (changes.py), so the version is bumped here.
            CatalogueVersion.bump()
        if options["verbosity"]:
            self.stdout.write(f"Added {count} synthetic initiatives.")

    def delete_synthetic(self) -> None:
        # Outcomes and category assignments protect the references they cite.
        for model in [Outcome, CategoryAssignment, Initiative]:
            key = "slug" if model is Initiative else "initiative__slug"
            model.objects.filter(**{f"{key}__startswith": PREFIX}).delete()
        Organisation.objects.filter(slug__startswith=PREFIX).delete()

    def create_organisations(
        self, values: SyntheticValues, count: int
    ) -> list[Organisation]:
        region_ids = list(Region.objects.values_list("pk", flat=True))
        return Organisation.objects.bulk_create(
            [values.organisation(number, region_ids) for number in range(count)],
            batch_size=BATCH,
        )


class BatchInserter:
    """Creates initiatives with their parts, one batch at a time, in bulk."""

    def __init__(self, values: SyntheticValues, organisations: list[Organisation]):
        self.values = values
        self.random = values.random
        self.organisations = organisations
        # A few organisations take part in many initiatives, most in a few.
        self.organisation_weights = list(
            itertools.accumulate(1 / (rank + 1) for rank in range(len(organisations)))
        )
        self.mains = list(Category.objects.filter(parent__isnull=True))
        self.subcategories = list(Category.objects.filter(parent__isnull=False))
        self.groups = list(TargetGroup.objects.all())
        self.regions = list(Region.objects.all())
        self.documents = list(SourceDocument.objects.all())

    def categories(self) -> list[Category]:
        # A subcategory always comes with its main category, as in the real data.
        chosen = self.random.sample(self.subcategories, self.random.choice([1, 1, 2]))
        if self.random.random() < 0.15:
            chosen.append(self.random.choice(self.mains))
        mains = {c.parent_id for c in chosen}
        return chosen + [m for m in self.mains if m.pk in mains and m not in chosen]

    def involved(self) -> list[Organisation]:
        wanted = self.random.choice([1, 1, 2, 2, 3, 4])
        chosen = self.random.choices(
            self.organisations, cum_weights=self.organisation_weights, k=wanted
        )
        return list(dict.fromkeys(chosen))

    def create_batch(self, numbers: range) -> None:
        rows = []
        for number in numbers:
            initiative = self.values.initiative(number)
            categories = self.categories()
            organisations = self.involved()
            groups = self.random.sample(self.groups, self.random.choice([1, 1, 2, 3]))
            rows.append((initiative, categories, organisations, groups))
        Initiative.objects.bulk_create([row[0] for row in rows], batch_size=BATCH)
        self.create_parts(rows)

    def create_parts(self, rows: list) -> None:
        references = [
            SourceReference(
                initiative=initiative,
                document=document,
                locator=f"Afsnit {position}.{self.random.randint(1, 9)}",
                line_start=(start := self.random.randint(1, 5000)),
                line_end=start + self.random.randint(5, 120),
            )
            for initiative, *_ in rows
            for position, document in enumerate(
                self.random.sample(self.documents, self.random.choice([1, 1, 2, 3])),
                start=1,
            )
        ]
        SourceReference.objects.bulk_create(references, batch_size=BATCH)
        first_reference = {}
        for reference in references:
            first_reference.setdefault(reference.initiative_id, reference)

        assignments, involvements, outcomes, group_links, region_links = (
            [],
            [],
            [],
            [],
            [],
        )
        for initiative, categories, organisations, groups in rows:
            stated = self.random.random() < 0.33
            assignments += [
                CategoryAssignment(
                    initiative=initiative,
                    category=category,
                    basis=Basis.STATED if stated else Basis.EDITORIAL,
                    reference=first_reference[initiative.pk] if stated else None,
                )
                for category in categories
            ]
            involvements += [
                Involvement(
                    initiative=initiative, organisation=org, role=self.values.role()
                )
                for org in organisations
            ]
            outcomes += [
                Outcome(
                    initiative=initiative,
                    reference=first_reference[initiative.pk],
                    position=position,
                    **self.values.outcome_values(),
                )
                for position in range(1, self.random.choice([0, 0, 0, 1, 2, 3, 5]) + 1)
            ]
            group_links += [
                Initiative.target_groups.through(initiative=initiative, targetgroup=g)
                for g in groups
            ]
            region_links += [
                Initiative.regions.through(initiative=initiative, region=region)
                for region in self.random.sample(
                    self.regions, self.values.region_count()
                )
            ]
        for model, objects in [
            (CategoryAssignment, assignments),
            (Involvement, involvements),
            (Outcome, outcomes),
            (Initiative.target_groups.through, group_links),
            (Initiative.regions.through, region_links),
        ]:
            model.objects.bulk_create(objects, batch_size=BATCH)
