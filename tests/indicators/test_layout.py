"""The returns and milestones moved into packages of their own (issue 14) without touching the
database: the same tables, the same app label, and no migration to make."""

from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command

# Each moved model, the module that now defines it, and the table it has always had.
MOVED = {
    "MonthlyReturn": ("indicators.returns.models", "indicators_monthlyreturn"),
    "ReturnValue": ("indicators.returns.models", "indicators_returnvalue"),
    "ValueChange": ("indicators.returns.models", "indicators_valuechange"),
    "ReturnEvent": ("indicators.returns.models", "indicators_returnevent"),
    "Milestone": ("indicators.milestones.models", "indicators_milestone"),
    "MilestoneChange": ("indicators.milestones.models", "indicators_milestonechange"),
}


@pytest.mark.parametrize("name", sorted(MOVED))
def test_a_moved_model_keeps_its_app_label_and_its_table(name):
    module, table = MOVED[name]
    model = apps.get_model("indicators", name)
    assert model.__module__ == module
    assert model._meta.app_label == "indicators"
    assert model._meta.db_table == table


@pytest.mark.django_db
def test_the_moves_need_no_migration():
    out = StringIO()
    # --check exits with an error (SystemExit) if any model differs from the migrations.
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()


def test_the_old_import_path_still_finds_the_models():
    from indicators import models
    from indicators.milestones.models import Milestone
    from indicators.returns.models import MonthlyReturn

    assert models.MonthlyReturn is MonthlyReturn
    assert models.Milestone is Milestone
