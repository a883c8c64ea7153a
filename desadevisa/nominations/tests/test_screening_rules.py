"""The screening rules as a pure function over plain facts: no database."""

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from desadevisa.nominations import screening
from desadevisa.nominations.screening import (
    CriterionResult,
    ScreeningFacts,
    ScreeningResult,
    UnitFact,
    Verdict,
    screening_evaluate,
    statement_present,
)

VILLAGE = "35.05.10.2001"
ELSEWHERE = "35.05.10.2002"


def member(unit_id: int) -> tuple[tuple[int, int, str], ...]:
    return ((1000 + unit_id, 7, "Koperasi Kendang Sejahtera"),)


def facts(**overrides) -> ScreeningFacts:
    values = {
        "village_id": VILLAGE,
        "village_name": "Minggirsari",
        "product_id": 1,
        "product_name": "Djembe drum",
        "hs_code": "920600",
        "has_uniqueness_statement": True,
        "has_origin_statement": True,
        "units": tuple(
            UnitFact(
                id=n, name=f"Unit {n}", village_id=VILLAGE, is_active=True, memberships=member(n)
            )
            for n in range(1, 4)
        ),
    }
    values.update(overrides)
    return ScreeningFacts(**values)


def evaluate(data: ScreeningFacts, *, units: int = 3, share: int = 100) -> ScreeningResult:
    return screening_evaluate(data, min_craft_units=units, min_membership_share=share)


def test_complete_facts_need_review_overall_because_uniqueness_is_always_confirmed_by_a_person():
    result = evaluate(facts())

    assert [c.verdict for c in result.criteria] == [
        Verdict.NEEDS_REVIEW,
        Verdict.PASS,
        Verdict.PASS,
        Verdict.PASS,
    ]
    assert result.overall == Verdict.NEEDS_REVIEW


def test_criteria_come_in_order_one_to_four():
    assert [c.criterion for c in evaluate(facts()).criteria] == [1, 2, 3, 4]


def test_missing_uniqueness_statement_fails_criterion_one():
    result = evaluate(facts(has_uniqueness_statement=False))

    assert result.criterion(1).verdict == Verdict.FAIL
    assert result.criterion(1).explanation_en == (
        "The product Djembe drum has no uniqueness statement, so its uniqueness cannot be assessed."
    )
    assert result.overall == Verdict.FAIL


def test_similar_products_are_listed_as_evidence_for_the_reviewer():
    result = evaluate(facts(similar_products=((9, "Bongo drum"),), similar_total=1))

    assert result.criterion(1).evidence["similar_products"] == [{"id": 9, "name": "Bongo drum"}]
    assert result.criterion(1).evidence["hs_heading"] == "9206"
    assert "against 1 similar products" in result.criterion(1).explanation_en


def test_missing_origin_statement_fails_criterion_two():
    result = evaluate(facts(has_origin_statement=False))

    assert result.criterion(2).verdict == Verdict.FAIL
    assert result.criterion(2).explanation_en == (
        "The product Djembe drum has no origin statement, so it cannot be shown to be made in "
        "Minggirsari."
    )


def test_a_unit_listed_in_another_village_fails_criterion_two_and_is_named():
    units = (*facts().units, UnitFact(id=9, name="Far away", village_id=ELSEWHERE, is_active=True))

    result = evaluate(facts(units=units))

    assert result.criterion(2).verdict == Verdict.FAIL
    assert result.criterion(2).evidence["units_elsewhere"] == [
        {"id": 9, "name": "Far away", "village_id": ELSEWHERE}
    ]
    assert result.criterion(2).explanation_en == (
        "1 of the 4 active craft units listed for the product Djembe drum lie outside Minggirsari."
    )
    # The unit elsewhere does not count as a maker in the village either.
    assert result.criterion(3).evidence["count"] == 3


def test_an_inactive_unit_elsewhere_counts_for_nothing():
    units = (*facts().units, UnitFact(id=9, name="Closed", village_id=ELSEWHERE, is_active=False))

    result = evaluate(facts(units=units))

    assert result.criterion(2).verdict == Verdict.PASS


def test_criterion_two_passes_only_to_be_confirmed_on_the_visit():
    result = evaluate(facts())

    assert result.criterion(2).explanation_en.endswith("to be confirmed on the visit.")


def test_no_unit_listed_fails_criteria_two_three_and_four_with_clear_sentences():
    result = evaluate(facts(units=()))

    assert [c.verdict for c in result.criteria[1:]] == [Verdict.FAIL] * 3
    assert result.criterion(2).explanation_en == (
        "No active craft unit is listed as making the product Djembe drum."
    )
    assert result.criterion(4).explanation_en == (
        "No active craft unit of the village makes the product, so no membership share can be "
        "computed against the required 100%."
    )


def test_no_unit_fails_the_share_even_with_a_zero_threshold():
    assert evaluate(facts(units=()), share=0).criterion(4).verdict == Verdict.FAIL


def test_inactive_units_are_not_makers():
    units = tuple(
        UnitFact(
            id=n, name=f"Unit {n}", village_id=VILLAGE, is_active=n != 3, memberships=member(n)
        )
        for n in range(1, 4)
    )

    result = evaluate(facts(units=units))

    assert result.criterion(3).verdict == Verdict.FAIL
    assert result.criterion(3).explanation_en == (
        "Only 2 active craft units in Minggirsari make the product, fewer than the 3 the cycle "
        "requires."
    )


def test_share_below_threshold_fails_criterion_four_with_the_figures():
    units = tuple(
        UnitFact(
            id=n,
            name=f"Unit {n}",
            village_id=VILLAGE,
            is_active=True,
            memberships=member(n) if n == 1 else (),
        )
        for n in range(1, 4)
    )

    result = evaluate(facts(units=units))

    assert result.criterion(4).verdict == Verdict.FAIL
    assert result.criterion(4).explanation_en == (
        "Only 1 of the 3 craft units making the product are current members of a cooperative or "
        "association (33%), below the required 100%."
    )
    assert result.criterion(4).evidence["non_member_units"] == [
        {"id": 2, "name": "Unit 2"},
        {"id": 3, "name": "Unit 3"},
    ]
    assert evaluate(facts(units=units), share=33).criterion(4).verdict == Verdict.PASS
    assert evaluate(facts(units=units), share=34).criterion(4).verdict == Verdict.FAIL


def test_explanations_are_given_in_indonesian_and_english_through_the_catalogue():
    with translation.override("id"):
        indonesian = str(screening.UNITS_ENOUGH) % {"count": 3, "required": 3, "village": "M"}
    result = evaluate(facts(village_name="M"))

    assert result.criterion(3).explanation_id == indonesian
    assert result.criterion(3).explanation_en == (
        "3 active craft units in M make the product, at least the 3 the cycle requires."
    )


def test_explanation_follows_the_active_language():
    result = evaluate(facts()).criterion(3)

    with translation.override("en"):
        assert result.explanation == result.explanation_en
    with translation.override("id"):
        assert result.explanation == result.explanation_id


def test_snapshot_round_trips_through_json():
    result = evaluate(facts(similar_products=((9, "Bongo"),), similar_total=1))

    assert ScreeningResult.from_json(result.as_json()) == result
    assert result.as_json()["overall"] == "needs_review"


@pytest.mark.parametrize(
    ("text", "present"),
    [(None, False), ("", False), (" \t\r\n ", False), (" Carved by hand ", True)],
)
def test_a_statement_of_blanks_is_missing(text, present):
    assert statement_present(text) is present


# Properties.

unit_facts = st.builds(
    UnitFact,
    id=st.integers(1, 10_000),
    name=st.just("Unit"),
    village_id=st.sampled_from([VILLAGE, ELSEWHERE]),
    is_active=st.booleans(),
    memberships=st.sampled_from([(), ((1, 2, "Koperasi"),)]),
)
any_facts = st.builds(
    facts,
    has_uniqueness_statement=st.booleans(),
    has_origin_statement=st.booleans(),
    units=st.lists(unit_facts, max_size=8).map(tuple),
)
thresholds = st.integers(0, 10)
shares = st.integers(0, 100)


@given(any_facts, thresholds, thresholds, shares)
def test_raising_the_unit_threshold_never_turns_a_fail_into_a_pass(data, low, high, share):
    low, high = sorted((low, high))
    easy = evaluate(data, units=low, share=share).criterion(3).verdict
    hard = evaluate(data, units=high, share=share).criterion(3).verdict

    assert not (easy == Verdict.FAIL and hard == Verdict.PASS)


@given(any_facts, thresholds, shares, shares)
def test_raising_the_share_threshold_never_turns_a_fail_into_a_pass(data, units, low, high):
    low, high = sorted((low, high))
    easy = evaluate(data, units=units, share=low).criterion(4).verdict
    hard = evaluate(data, units=units, share=high).criterion(4).verdict

    assert not (easy == Verdict.FAIL and hard == Verdict.PASS)


@given(any_facts, thresholds, shares)
def test_overall_is_fail_if_any_fails_else_needs_review_if_any_does_else_pass(data, units, share):
    result = evaluate(data, units=units, share=share)
    verdicts = [c.verdict for c in result.criteria]

    if Verdict.FAIL in verdicts:
        assert result.overall == Verdict.FAIL
    elif Verdict.NEEDS_REVIEW in verdicts:
        assert result.overall == Verdict.NEEDS_REVIEW
    else:
        assert result.overall == Verdict.PASS


@given(any_facts, thresholds, shares)
def test_criterion_one_never_passes_on_data_alone(data, units, share):
    assert evaluate(data, units=units, share=share).criterion(1).verdict != Verdict.PASS


@given(any_facts, thresholds, shares)
def test_every_criterion_round_trips_and_has_both_sentences(data, units, share):
    result = evaluate(data, units=units, share=share)

    for criterion in result.criteria:
        assert CriterionResult.from_json(criterion.as_json()) == criterion
        assert criterion.explanation_id
        assert criterion.explanation_en
