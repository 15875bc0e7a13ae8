from django.core.management.base import BaseCommand

from initiatives.search.stale import refresh_stale


class Command(BaseCommand):
    help = (
        "Make again the search texts that a change of a name or synonym has marked "
        "stale and that the task worker has not made yet (it was stopped while it "
        "worked): run it after a restart, or from cron. Does nothing when none is."
    )

    def handle(self, *args, **options) -> None:
        made = refresh_stale()
        self.stdout.write(f"{made} search texts made again")
