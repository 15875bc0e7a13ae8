import getpass

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from ...curation.roles import curator_group


class Command(BaseCommand):
    help = (
        "Create (or update) a curator login for the admin: staff, in the Kurator "
        "group, allowed to edit the catalogue but not to manage users."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--email", default="")
        parser.add_argument(
            "--password",
            help="Asked for when left out (better than the shell history).",
        )

    def handle(self, *args, username: str, email: str, password: str | None, **options):
        if password is None:
            password = getpass.getpass("Adgangskode: ")
            if getpass.getpass("Adgangskode igen: ") != password:
                raise CommandError("De to adgangskoder er ikke ens.")
        user_model = get_user_model()
        user = user_model(username=username, email=email)
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        user, _created = user_model.objects.get_or_create(
            username=username, defaults={"email": email}
        )
        user.is_staff = True
        user.set_password(password)
        user.save()
        user.groups.add(curator_group())
        self.stdout.write(f"Kuratoren {username} kan nu logge ind på /admin/.")
