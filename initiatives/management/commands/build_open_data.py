from django.core.management.base import BaseCommand

from initiatives.datapackage import WRITERS, package_file


class Command(BaseCommand):
    help = (
        "Build the data package (zip and JSON) for the current catalogue version, "
        "unless it is built already, so that no download waits for it. At 100,000 "
        "initiatives each takes about a minute: run it after changes (e.g. from cron)."
    )

    def handle(self, *args, **options) -> None:
        for kind in WRITERS:
            path, stamp = package_file(kind)
            self.stdout.write(f"{path} (version {stamp.version}, {stamp.created})")
