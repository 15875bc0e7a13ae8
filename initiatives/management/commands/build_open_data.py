from django.core.management.base import BaseCommand

from ...opendata.built_files import FILES, build


class Command(BaseCommand):
    help = (
        "Build every download file (the data package, the whole catalogue's CSV) for "
        "the current catalogue version, unless it is built already, here rather than "
        "in the task worker: e.g. after a deployment, so that no download waits."
    )

    def handle(self, *args, **options) -> None:
        for name in FILES:
            self.stdout.write(build.call(name))
