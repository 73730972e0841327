import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from portfolios import services
from portfolios.models import Placement, PlacementStatusChange
from tests import factories

S = Placement.Status


def create_kwargs(cast, **overrides):
    kwargs = {
        "actor": cast.coordinator,
        "student": factories.StudentFactory(),
        "educator": cast.educator,
        "tutor": cast.tutor,
        "programme": cast.programme,
        "setting_name": "Riverside Adults' Team",
        "stage": Placement.Stage.FIRST,
        "start_date": datetime.date(2026, 1, 5),
        "end_date": datetime.date(2026, 4, 30),
    }
    kwargs.update(overrides)
    return kwargs


def test_it_pins_the_programmes_framework_and_scale(cast):
    placement = services.placement_create(**create_kwargs(cast))
    assert placement.framework == cast.programme.framework
    assert placement.grading_scale == cast.programme.grading_scale
    assert placement.required_days == 70
    assert placement.status == S.PLANNED


def test_it_gives_a_final_placement_100_days_by_default(cast):
    placement = services.placement_create(**create_kwargs(cast, stage=Placement.Stage.FINAL))
    assert placement.required_days == 100


def test_it_refuses_an_end_date_before_the_start_date(cast):
    with pytest.raises(ValidationError) as exc:
        services.placement_create(**create_kwargs(cast, end_date=datetime.date(2025, 12, 1)))
    assert "end_date" in exc.value.message_dict
    assert not Placement.objects.filter(setting_name="Riverside Adults' Team").exists()


def test_it_refuses_a_student_as_their_own_educator(cast):
    student = factories.StudentFactory(roles=["student", "practice educator"])
    with pytest.raises(ValidationError) as exc:
        services.placement_create(**create_kwargs(cast, student=student, educator=student))
    assert exc.value.message_dict["educator"] == [
        "A student cannot be their own practice educator."
    ]


def test_it_refuses_an_educator_without_the_educator_role(cast):
    with pytest.raises(ValidationError) as exc:
        services.placement_create(**create_kwargs(cast, educator=cast.tutor))
    assert "not registered as a practice educator" in exc.value.message_dict["educator"][0]


def test_it_refuses_a_student_without_the_student_role(cast):
    with pytest.raises(ValidationError) as exc:
        services.placement_create(**create_kwargs(cast, student=cast.other_educator))
    assert "student" in exc.value.message_dict


def test_only_a_coordinator_of_the_university_can_create(cast):
    for actor in (cast.other_coordinator, cast.tutor, cast.panel, cast.educator):
        with pytest.raises(PermissionDenied):
            services.placement_create(**create_kwargs(cast, actor=actor))


def update_kwargs(placement, **overrides):
    kwargs = {
        "educator": placement.educator,
        "supervisor": placement.supervisor,
        "tutor": placement.tutor,
        "setting_name": placement.setting_name,
        "practice_area": placement.practice_area,
        "start_date": placement.start_date,
        "end_date": placement.end_date,
        "required_days": placement.required_days,
        "framework": placement.framework,
        "grading_scale": placement.grading_scale,
    }
    kwargs.update(overrides)
    return kwargs


def test_replacing_the_educator_moves_the_permissions(cast):
    new_educator = factories.EducatorFactory()
    services.placement_update(
        actor=cast.coordinator,
        placement=cast.placement,
        **update_kwargs(cast.placement, educator=new_educator),
    )
    placement = Placement.objects.get(pk=cast.placement.pk)
    old = factories.UserFactory._meta.model.objects.get(pk=cast.educator.pk)
    new = factories.UserFactory._meta.model.objects.get(pk=new_educator.pk)
    assert not old.has_perm("portfolios.view_placement", placement)
    assert not old.has_perm("portfolios.assess_placement", placement)
    assert new.has_perm("portfolios.view_placement", placement)
    assert new.has_perm("portfolios.assess_placement", placement)


def test_it_refuses_a_framework_change_once_evidence_exists(cast):
    factories.EvidenceFactory(placement=cast.placement)
    other = factories.CapabilityFrameworkFactory()
    with pytest.raises(ValidationError) as exc:
        services.placement_update(
            actor=cast.coordinator,
            placement=cast.placement,
            **update_kwargs(cast.placement, framework=other),
        )
    assert "framework" in exc.value.message_dict
    cast.placement.refresh_from_db()
    assert cast.placement.framework != other


def test_it_allows_a_framework_change_before_any_evidence(cast):
    other = factories.CapabilityFrameworkFactory()
    services.placement_update(
        actor=cast.coordinator,
        placement=cast.placement,
        **update_kwargs(cast.placement, framework=other),
    )
    cast.placement.refresh_from_db()
    assert cast.placement.framework == other


def test_update_refuses_bad_dates_and_changes_nothing(cast):
    before = cast.placement.setting_name
    with pytest.raises(ValidationError):
        services.placement_update(
            actor=cast.coordinator,
            placement=cast.placement,
            **update_kwargs(
                cast.placement,
                setting_name="Changed",
                end_date=cast.placement.start_date - datetime.timedelta(days=1),
            ),
        )
    cast.placement.refresh_from_db()
    assert cast.placement.setting_name == before


def test_only_a_coordinator_can_update(cast):
    for actor in (cast.tutor, cast.educator, cast.other_coordinator):
        with pytest.raises(PermissionDenied):
            services.placement_update(
                actor=actor, placement=cast.placement, **update_kwargs(cast.placement)
            )


def test_a_transition_records_who_when_and_why(cast):
    services.placement_transition(
        actor=cast.tutor, placement=cast.placement, to_status=S.DEFERRED, reason="Illness."
    )
    change = PlacementStatusChange.objects.get(placement=cast.placement)
    assert (change.from_status, change.to_status) == (S.ACTIVE, S.DEFERRED)
    assert change.actor == cast.tutor
    assert change.reason == "Illness."
    assert change.created_at is not None


def test_a_transition_off_the_state_machine_is_refused(cast):
    with pytest.raises(ValidationError):
        services.placement_transition(
            actor=cast.panel, placement=cast.placement, to_status=S.RATIFIED
        )
    cast.placement.refresh_from_db()
    assert cast.placement.status == S.ACTIVE


def test_a_transition_by_the_wrong_person_is_refused(cast):
    with pytest.raises(PermissionDenied):
        services.placement_transition(
            actor=cast.student, placement=cast.placement, to_status=S.FINAL_REVIEW_SIGNED
        )
    assert not PlacementStatusChange.objects.exists()


def test_a_transition_needing_a_reason_is_refused_without_one(cast):
    with pytest.raises(ValidationError) as exc:
        services.placement_transition(
            actor=cast.coordinator, placement=cast.placement, to_status=S.TERMINATED, reason="  "
        )
    assert "reason" in exc.value.message_dict


def test_the_whole_sign_off_chain_moves_forward_with_the_right_people(cast):
    steps = [
        (cast.educator, S.FINAL_REVIEW_SIGNED),
        (cast.student, S.STUDENT_ACKNOWLEDGED),
        (cast.tutor, S.COUNTERSIGNED),
        (cast.panel, S.RATIFIED),
    ]
    for actor, to_status in steps:
        services.placement_transition(actor=actor, placement=cast.placement, to_status=to_status)
    cast.placement.refresh_from_db()
    assert cast.placement.status == S.RATIFIED
    assert cast.placement.status_changes.count() == 4


def test_a_second_identical_transition_is_refused(cast):
    services.placement_transition(
        actor=cast.educator, placement=cast.placement, to_status=S.FINAL_REVIEW_SIGNED
    )
    with pytest.raises(ValidationError):
        services.placement_transition(
            actor=cast.educator, placement=cast.placement, to_status=S.FINAL_REVIEW_SIGNED
        )
    assert cast.placement.status_changes.count() == 1


def test_another_universitys_panel_cannot_ratify(cast):
    other_panel = factories.PanelMemberFactory()
    cast.other_placement.programme.university.members.add(other_panel)
    factories.Placement.objects.filter(pk=cast.placement.pk).update(status=S.COUNTERSIGNED)
    with pytest.raises(PermissionDenied):
        services.placement_transition(
            actor=other_panel, placement=cast.placement, to_status=S.RATIFIED
        )
