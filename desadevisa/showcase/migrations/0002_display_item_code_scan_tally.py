"""Display items get a short random code for their QR address; scans are counted per day."""

import django.db.models.deletion
from django.db import migrations, models

import desadevisa.showcase.models


def codes_give(apps, schema_editor):
    """Give every existing display item a code of its own."""
    DisplayItem = apps.get_model("showcase", "DisplayItem")
    taken = set()
    for item in DisplayItem.objects.filter(code__isnull=True).only("pk"):
        code = desadevisa.showcase.models.display_code_new()
        while code in taken:
            code = desadevisa.showcase.models.display_code_new()
        taken.add(code)
        DisplayItem.objects.filter(pk=item.pk).update(code=code)


class Migration(migrations.Migration):
    dependencies = [
        ("showcase", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="displayitem",
            name="code",
            field=models.CharField(max_length=8, null=True, verbose_name="code"),
        ),
        migrations.RunPython(codes_give, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="displayitem",
            name="code",
            field=models.CharField(
                default=desadevisa.showcase.models.display_code_new,
                max_length=8,
                unique=True,
                verbose_name="code",
            ),
        ),
        migrations.CreateModel(
            name="ScanTally",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("day", models.DateField(verbose_name="day")),
                ("count", models.PositiveIntegerField(default=0, verbose_name="scans")),
                (
                    "display_item",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="scan_tallies",
                        to="showcase.displayitem",
                        verbose_name="display item",
                    ),
                ),
            ],
            options={
                "verbose_name": "scan tally",
                "verbose_name_plural": "scan tallies",
                "ordering": ["display_item", "day"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("display_item", "day"), name="scan_tally_one_row_per_item_and_day"
                    )
                ],
            },
        ),
    ]
