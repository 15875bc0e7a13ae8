from django.core.management.base import BaseCommand
from django.db.models import Q

from initiatives.models import Suggestion


class Command(BaseCommand):
    help = (
        f"Keep the privacy page's promise: after {Suggestion.KEEP_CONTACT_DAYS} days "
        "delete handled suggestions (added or declined) and erase the sender's name "
        "and e-mail from those still open. Run it daily (cron or the task worker)."
    )

    def handle(self, *args, **options) -> None:
        old = Suggestion.objects.past_keeping()
        handled = [Suggestion.Status.ADDED, Suggestion.Status.DECLINED]
        deleted, _by_model = old.filter(status__in=handled).delete()
        erased = old.exclude(Q(sender_name="") & Q(sender_email="")).update(
            sender_name="", sender_email=""
        )
        self.stdout.write(
            f"{deleted} suggestions deleted, contact details erased from {erased}."
        )
