import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from desadevisa.accounts.models import Role
from desadevisa.accounts.tests.factories import user_with_role
from desadevisa.audit.models import AuditAction, AuditEvent
from desadevisa.catalog.tests.factories import ProductFactory
from desadevisa.core.editing import EditConflict, record_version
from desadevisa.nominations.models import Nomination, NominationEvent, NominationState
from desadevisa.nominations.services import (
    nomination_create,
    nomination_designate,
    nomination_reject,
    nomination_resubmit,
    nomination_return,
    nomination_screen_complete,
    nomination_submit,
    nomination_transition,
    nomination_update,
    nomination_withdraw,
    programme_cycle_update,
    province_quota_usage,
    province_quotas_set,
)
from desadevisa.nominations.tests.factories import (
    NominationFactory,
    ProgrammeCycleFactory,
    ProvinceQuotaFactory,
)
from desadevisa.nominations.workflow import (
    TRANSITIONS,
    CommentRequired,
    NominationNotEditable,
    QuotaExhausted,
    TransitionOutOfOrder,
    TransitionRefused,
)
from desadevisa.regions.tests.factories import ProvinceFactory, VillageFactory

S = NominationState


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def cycle(db, jawa_timur):
    cycle = ProgrammeCycleFactory(year=2023)
    ProvinceQuotaFactory(cycle=cycle, province=jawa_timur, allowed=2)
    return cycle


def draft_in(cycle, province, **kwargs):
    village = VillageFactory(district__regency__province=province)
    return NominationFactory(
        cycle=cycle, flagship_product=ProductFactory(village=village), **kwargs
    )


@pytest.fixture
def draft(cycle, jawa_timur):
    return draft_in(cycle, jawa_timur)


def in_state(nomination, state):
    Nomination.objects.filter(pk=nomination.pk).update(state=state)
    nomination.refresh_from_db()
    return nomination


# The workflow table -----------------------------------------------------------------------


def test_every_state_but_the_final_ones_has_a_way_out():
    sources = {state for step in TRANSITIONS.values() for state in step.sources}

    assert set(S.values) - sources == {S.DESIGNATED, S.REJECTED, S.WITHDRAWN}


# Submitting -------------------------------------------------------------------------------


def test_submitting_a_draft_records_an_event_and_an_audit_entry(draft, provincial_officer):
    nomination_submit(nomination=draft, actor=provincial_officer, comment="Siap.")

    draft.refresh_from_db()
    assert draft.state == S.SUBMITTED
    assert draft.submitted_by == provincial_officer
    event = NominationEvent.objects.get(nomination=draft)
    assert (event.from_state, event.to_state, event.actor, event.comment) == (
        S.DRAFT,
        S.SUBMITTED,
        provincial_officer,
        "Siap.",
    )
    audit = AuditEvent.objects.filter(action=AuditAction.TRANSITIONED).get()
    assert audit.changes == {"state": ["draft", "submitted"]}
    assert audit.summary == "submit"


def test_the_event_stores_the_screening_snapshot(draft, provincial_officer):
    pytest.importorskip("desadevisa.nominations.screening")

    nomination_submit(nomination=draft, actor=provincial_officer)

    snapshot = NominationEvent.objects.get(nomination=draft).screening
    assert snapshot["overall"] in {"pass", "fail", "needs_review"}
    assert len(snapshot["criteria"]) == 4


def test_a_programme_officer_may_not_submit(draft, programme_officer):
    with pytest.raises(TransitionRefused):
        nomination_submit(nomination=draft, actor=programme_officer)

    draft.refresh_from_db()
    assert draft.state == S.DRAFT
    assert not NominationEvent.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditAction.TRANSITIONED).exists()


def test_an_officer_of_another_province_may_not_submit(cycle, draft):
    other = ProvinceFactory(code="33", name="Jawa Tengah")
    officer = user_with_role(Role.PROVINCIAL_OFFICER, province=other, username="officer-33")

    with pytest.raises(TransitionRefused):
        nomination_submit(nomination=draft, actor=officer)


def test_submitting_twice_is_refused_the_second_time_and_writes_nothing(draft, provincial_officer):
    stale = Nomination.objects.get(pk=draft.pk)
    nomination_submit(nomination=draft, actor=provincial_officer)
    events = NominationEvent.objects.count()

    with pytest.raises(TransitionOutOfOrder, match="the nomination is now “Submitted”"):
        nomination_submit(nomination=stale, actor=provincial_officer)

    assert NominationEvent.objects.count() == events


def test_a_submission_past_the_quota_waits_on_the_waiting_list(
    cycle, jawa_timur, provincial_officer
):
    first, second, third = (draft_in(cycle, jawa_timur) for _ in range(3))
    nomination_submit(nomination=first, actor=provincial_officer)
    nomination_submit(nomination=second, actor=provincial_officer)

    waiting = nomination_submit(nomination=third, actor=provincial_officer)

    assert (waiting.state, waiting.waiting_rank) == (S.WAITING, 1)
    assert waiting.submitted_by == provincial_officer
    assert province_quota_usage(cycle=cycle) == {jawa_timur.code: 2}
    assert waiting.events.get().to_state == S.WAITING


def test_a_province_without_a_quota_cannot_submit(draft, provincial_officer, jawa_timur):
    draft.cycle.quotas.all().delete()

    with pytest.raises(QuotaExhausted, match="has no quota in this programme cycle"):
        nomination_submit(nomination=draft, actor=provincial_officer)


def test_withdrawing_frees_the_slot(cycle, jawa_timur, provincial_officer):
    first, second, third = (draft_in(cycle, jawa_timur) for _ in range(3))
    nomination_submit(nomination=first, actor=provincial_officer)
    nomination_submit(nomination=second, actor=provincial_officer)

    nomination_withdraw(nomination=first, actor=provincial_officer)
    third = nomination_submit(nomination=third, actor=provincial_officer)

    assert third.state == S.SUBMITTED


def test_rejecting_frees_the_slot_and_designating_keeps_it(
    cycle, jawa_timur, provincial_officer, programme_officer
):
    rejected = in_state(draft_in(cycle, jawa_timur), S.SCREENED)
    designated = in_state(draft_in(cycle, jawa_timur), S.VISITED)

    nomination_reject(nomination=rejected, actor=programme_officer, comment="Tidak unik.")
    nomination_designate(nomination=designated, actor=programme_officer)

    assert province_quota_usage(cycle=cycle) == {jawa_timur.code: 1}


# Screening, returning, resubmitting -------------------------------------------------------


def test_a_programme_officer_screens_a_submitted_nomination(draft, programme_officer):
    in_state(draft, S.SUBMITTED)

    nomination_screen_complete(nomination=draft, actor=programme_officer)

    draft.refresh_from_db()
    assert draft.state == S.SCREENED


def test_a_provincial_officer_may_not_screen(draft, provincial_officer):
    in_state(draft, S.SUBMITTED)

    with pytest.raises(TransitionRefused):
        nomination_screen_complete(nomination=draft, actor=provincial_officer)


def test_the_submitter_may_not_screen_their_own_nomination(draft, jawa_timur):
    both = user_with_role(Role.PROVINCIAL_OFFICER, province=jawa_timur, username="both")
    both.role_assignments.create(role=Role.PROGRAMME_OFFICER)
    nomination_submit(nomination=draft, actor=both)

    with pytest.raises(TransitionRefused):
        nomination_screen_complete(nomination=draft, actor=both)


def test_returning_needs_a_comment(draft, programme_officer):
    in_state(draft, S.SUBMITTED)

    with pytest.raises(CommentRequired, match="Write a comment"):
        nomination_return(nomination=draft, actor=programme_officer, comment="  ")

    draft.refresh_from_db()
    assert draft.state == S.SUBMITTED


def test_a_returned_nomination_keeps_its_slot_and_is_submitted_again(
    draft, programme_officer, provincial_officer, jawa_timur
):
    nomination_submit(nomination=draft, actor=provincial_officer)
    nomination_return(nomination=draft, actor=programme_officer, comment="Lengkapi bukti.")
    assert province_quota_usage(cycle=draft.cycle) == {jawa_timur.code: 1}

    nomination_resubmit(nomination=draft, actor=provincial_officer)

    draft.refresh_from_db()
    assert draft.state == S.SUBMITTED
    steps = list(draft.events.order_by("pk").values_list("to_state", "comment"))
    assert steps == [(S.SUBMITTED, ""), (S.RETURNED, "Lengkapi bukti."), (S.SUBMITTED, "")]


def test_designating_a_screened_nomination_is_out_of_order(draft, programme_officer):
    in_state(draft, S.SCREENED)

    with pytest.raises(TransitionOutOfOrder):
        nomination_designate(nomination=draft, actor=programme_officer)


def test_a_provincial_officer_may_not_designate(draft, provincial_officer):
    in_state(draft, S.VISITED)

    with pytest.raises(TransitionRefused):
        nomination_designate(nomination=draft, actor=provincial_officer)


def test_a_programme_officer_may_not_withdraw(draft, programme_officer):
    with pytest.raises(TransitionRefused):
        nomination_withdraw(nomination=draft, actor=programme_officer)


def test_a_screened_nomination_cannot_be_withdrawn(draft, provincial_officer):
    in_state(draft, S.SCREENED)

    with pytest.raises(TransitionOutOfOrder):
        nomination_withdraw(nomination=draft, actor=provincial_officer)


@pytest.mark.parametrize("state", [S.DESIGNATED, S.REJECTED, S.WITHDRAWN])
def test_no_step_leaves_a_final_state(draft, administrator, provincial_officer, state):
    in_state(draft, state)
    for name, step in TRANSITIONS.items():
        actor = provincial_officer if step.action in {"submit", "withdraw"} else administrator
        with pytest.raises((TransitionOutOfOrder, TransitionRefused)):
            nomination_transition(nomination=draft, name=name, actor=actor, comment="x")


def test_events_cannot_be_changed(draft, provincial_officer):
    nomination_submit(nomination=draft, actor=provincial_officer)
    event = NominationEvent.objects.get()
    event.comment = "rewritten"

    with pytest.raises(ValueError, match="append-only"):
        event.save()


# Creating and editing ---------------------------------------------------------------------


def test_an_officer_nominates_a_village_of_their_province(cycle, jawa_timur, provincial_officer):
    product = ProductFactory(village=VillageFactory(district__regency__province=jawa_timur))

    nomination = nomination_create(
        cycle=cycle,
        village=product.village,
        flagship_product=product,
        statement="Kendang djimbe.",
        actor=provincial_officer,
    )

    assert nomination.state == S.DRAFT
    assert AuditEvent.objects.filter(action=AuditAction.CREATED).count() == 1


def test_a_village_of_another_province_is_refused(cycle, provincial_officer):
    other = ProvinceFactory(code="33", name="Jawa Tengah")
    product = ProductFactory(village=VillageFactory(district__regency__province=other))

    with pytest.raises(TransitionRefused, match="only villages of your own provinces"):
        nomination_create(
            cycle=cycle,
            village=product.village,
            flagship_product=product,
            statement="",
            actor=provincial_officer,
        )

    assert not Nomination.objects.exists()


def test_a_product_of_another_village_is_refused(cycle, jawa_timur, provincial_officer):
    village = VillageFactory(district__regency__province=jawa_timur)
    product = ProductFactory(village=VillageFactory(district__regency__province=jawa_timur))

    with pytest.raises(ValidationError, match="must be made in the village"):
        nomination_create(
            cycle=cycle,
            village=village,
            flagship_product=product,
            statement="",
            actor=provincial_officer,
        )


def test_a_draft_is_edited(draft, provincial_officer):
    nomination_update(
        nomination=draft,
        data={"statement": "Baru."},
        seen_version=record_version(draft),
        actor=provincial_officer,
    )

    draft.refresh_from_db()
    assert draft.statement == "Baru."


def test_an_edit_over_a_newer_version_is_refused(draft, provincial_officer):
    seen = record_version(draft)
    nomination_update(
        nomination=draft, data={"statement": "A"}, seen_version=seen, actor=provincial_officer
    )

    with pytest.raises(EditConflict):
        nomination_update(
            nomination=draft, data={"statement": "B"}, seen_version=seen, actor=provincial_officer
        )

    draft.refresh_from_db()
    assert draft.statement == "A"


def test_editing_after_designation_is_refused(draft, provincial_officer):
    in_state(draft, S.DESIGNATED)

    with pytest.raises(NominationNotEditable, match="“Designated” can no longer be changed"):
        nomination_update(
            nomination=draft,
            data={"statement": "Changed"},
            seen_version=record_version(draft),
            actor=provincial_officer,
        )

    draft.refresh_from_db()
    assert draft.statement != "Changed"


# Cycles and quotas ------------------------------------------------------------------------


def test_a_cycle_threshold_is_changed(cycle, programme_officer):
    programme_cycle_update(
        cycle=cycle,
        data={"min_craft_units": 4},
        seen_version=record_version(cycle),
        actor=programme_officer,
    )

    cycle.refresh_from_db()
    assert cycle.min_craft_units == 4


def test_quotas_are_set_per_province(cycle, jawa_timur, programme_officer):
    central = ProvinceFactory(code="33", name="Jawa Tengah")

    province_quotas_set(
        cycle=cycle, allowed={jawa_timur.code: 15, central.code: 3}, actor=programme_officer
    )

    assert dict(cycle.quotas.values_list("province_id", "allowed")) == {"35": 15, "33": 3}


def test_a_quota_cannot_go_below_the_slots_held(
    cycle, jawa_timur, provincial_officer, programme_officer
):
    for _ in range(2):
        nomination_submit(nomination=draft_in(cycle, jawa_timur), actor=provincial_officer)

    with pytest.raises(ValidationError, match="2 nominations already hold a slot"):
        province_quotas_set(cycle=cycle, allowed={jawa_timur.code: 1}, actor=programme_officer)

    assert cycle.quotas.get().allowed == 2


def test_a_quota_must_be_positive(cycle, jawa_timur, programme_officer):
    with pytest.raises(ValidationError, match="a quota is a positive number"):
        province_quotas_set(cycle=cycle, allowed={jawa_timur.code: 0}, actor=programme_officer)
