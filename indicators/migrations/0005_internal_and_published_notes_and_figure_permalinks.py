"""A return's one commentary becomes two notes, and removed figures keep their links.

Commentary was copied to the published figure, where anyone could read it, although the form
asked for "anything the approver and the board should know". Existing commentary is kept as the
internal note (never published), its history is relabelled to match, and the copies on published
figures are cleared. The published note starts empty: only what someone writes for the public
from now on is published.
"""

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


def commentary_becomes_internal(apps, schema_editor):
    ValueChange = apps.get_model("indicators", "ValueChange")
    Observation = apps.get_model("indicators", "Observation")
    ValueChange.objects.filter(field="commentary").update(field="internal_note")
    Observation.objects.filter(source="monthly_return").exclude(quote="").update(quote="")


def notes_become_commentary(apps, schema_editor):
    # Going back there is one note field again; both notes' history is kept under it.
    ValueChange = apps.get_model("indicators", "ValueChange")
    ValueChange.objects.filter(field__in=["internal_note", "published_note"]).update(
        field="commentary"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("indicators", "0004_return_values_and_history"),
    ]

    operations = [
        migrations.RenameField(
            model_name="returnvalue", old_name="commentary", new_name="internal_note"
        ),
        migrations.AlterField(
            model_name="returnvalue",
            name="internal_note",
            field=models.TextField(
                blank=True,
                help_text="Read only by the authority's members and DfE users who can see the "
                "return; never published.",
            ),
        ),
        migrations.AddField(
            model_name="returnvalue",
            name="published_note",
            field=models.TextField(
                blank=True, help_text="Published with the figure once the return is approved."
            ),
        ),
        migrations.AddField(
            model_name="observation",
            name="note",
            field=models.TextField(
                blank=True,
                help_text="Published with the figure for everyone to read: a monthly return's "
                "published note.",
            ),
        ),
        migrations.AlterField(
            model_name="valuechange",
            name="field",
            field=models.CharField(
                choices=[
                    ("value", "Figure"),
                    ("numerator", "Numerator"),
                    ("denominator", "Denominator"),
                    ("internal_note", "Internal note"),
                    ("published_note", "Published note"),
                    ("explanation", "Explanation of a large change"),
                ],
                max_length=16,
            ),
        ),
        migrations.CreateModel(
            name="RetiredObservation",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        help_text="The removed Observation's id.",
                        primary_key=True,
                        serialize=False,
                    ),
                ),
                (
                    "area_code",
                    models.CharField(max_length=9, verbose_name="GSS code of the area"),
                ),
                (
                    "period_kind",
                    models.CharField(
                        choices=[
                            ("month", "Month"),
                            ("reporting_year", "Reporting year"),
                            ("financial_year", "Financial year"),
                            ("academic_year", "Academic year"),
                            ("calendar_year", "Calendar year"),
                            ("quarter", "Quarter"),
                            ("day", "Day"),
                        ],
                        max_length=16,
                    ),
                ),
                ("period_start", models.DateField()),
                (
                    "source",
                    models.CharField(
                        choices=[
                            ("official", "Official statistics"),
                            ("monthly_return", "Monthly return"),
                            ("report", "Report evidence"),
                            ("demo", "Simulated demo data"),
                        ],
                        max_length=16,
                    ),
                ),
                ("retired_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "reason",
                    models.CharField(
                        choices=[
                            ("withdrawn", "Withdrawn when its monthly return was reopened"),
                            ("replaced", "Replaced by a newer copy of the same figure"),
                        ],
                        max_length=10,
                    ),
                ),
                (
                    "indicator",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="indicators.indicator",
                    ),
                ),
            ],
            options={
                "ordering": ["-retired_at", "-id"],
            },
        ),
        # Last, after every change to the tables' shape (PostgreSQL refuses to alter a table
        # with row changes pending in the same transaction).
        migrations.RunPython(commentary_becomes_internal, notes_become_commentary),
    ]
