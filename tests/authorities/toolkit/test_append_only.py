"""One append-only mechanism: the audit log, a return's history and the milestone history refuse
every change."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib.auth.models import User

from authorities.accounts import audit
from authorities.models import AuditAction, AuditEntry
from authorities.toolkit.append_only import AppendOnly, AppendOnlyError, AppendOnlyQuerySet
from indicators.milestones.models import ImprovementActionChange, MilestoneChange
from indicators.returns.models import ReturnEvent, ReturnEventKind, ValueChange, ValueField
from tests.factories import MonthlyReturnFactory, indicator

pytestmark = pytest.mark.django_db


def test_the_append_only_tables_are_the_audit_log_and_the_histories():
    append_only = {model for model in apps.get_models() if issubclass(model, AppendOnly)}
    assert append_only == {
        AuditEntry,
        ValueChange,
        ReturnEvent,
        MilestoneChange,
        ImprovementActionChange,
    }
    # Each one's queryset refuses bulk changes too, whatever else it adds.
    assert all(isinstance(m.objects.all(), AppendOnlyQuerySet) for m in append_only)


@pytest.fixture
def rows():
    user = User.objects.create_user("officer")
    monthly_return = MonthlyReturnFactory()
    change = ValueChange.objects.create(
        monthly_return=monthly_return,
        indicator=indicator("referrals"),
        field=ValueField.VALUE,
        new="120",
        changed_by=user,
        via="form",
        version=2,
    )
    event = ReturnEvent.objects.create(
        monthly_return=monthly_return, kind=ReturnEventKind.SAVED, user=user, version=2
    )
    entry = audit.record(AuditAction.SIGN_IN, user=user)
    return user, monthly_return, [entry, change, event]


TAMPERING = {AuditEntry: "detail", ValueChange: "new", ReturnEvent: "note"}


def test_no_row_can_be_changed_or_deleted_one_by_one_or_in_bulk(rows):
    _, _, written = rows
    for row in written:
        model, field = type(row), TAMPERING[type(row)]
        setattr(row, field, "tampered")
        with pytest.raises(AppendOnlyError, match="cannot be changed"):
            row.save()
        with pytest.raises(AppendOnlyError, match="cannot be deleted"):
            row.delete()
        with pytest.raises(AppendOnlyError, match="cannot be changed"):
            model.objects.filter(pk=row.pk).update(**{field: "tampered"})
        with pytest.raises(AppendOnlyError, match="cannot be deleted"):
            model.objects.all().delete()
        assert getattr(model.objects.get(pk=row.pk), field) != "tampered"


def test_what_a_row_belongs_to_can_still_go(rows):
    user, monthly_return, (entry, change, event) = rows
    monthly_return.delete()  # a removed return takes its history with it
    assert not ValueChange.objects.filter(pk=change.pk).exists()
    assert not ReturnEvent.objects.filter(pk=event.pk).exists()
    user.delete()  # a removed account leaves its audit entries, by name
    kept = AuditEntry.objects.get(pk=entry.pk)
    assert kept.user is None and kept.username == "officer"
