# The admin at 100,000 initiatives: the marks of search texts a vocabulary change has
# left behind (initiatives/search/stale.py), and an index for the admin's list of
# initiatives in name order. Neither rebuilds the initiative table on SQLite, so the
# search triggers of 0001 stay.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('initiatives', '0003_initiative_years_index'),
    ]

    operations = [
        migrations.CreateModel(
            name='StaleSearchText',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('initiative', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='initiatives.initiative')),
            ],
            options={
                'verbose_name': 'forældet søgetekst',
                'verbose_name_plural': 'forældede søgetekster',
                'ordering': ['pk'],
            },
        ),
        migrations.AddIndex(
            model_name='initiative',
            index=models.Index(fields=['name', 'id'], name='initiative_admin_by_name'),
        ),
    ]
