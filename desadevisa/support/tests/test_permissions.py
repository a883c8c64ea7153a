"""Who may change support: the national roles only; the others read at most."""

import pytest

from desadevisa.support.permissions import SupportAction, support_item_can, support_may_plan
from desadevisa.support.tests.factories import SupportItemFactory


@pytest.fixture
def items(two_provinces):
    return {
        "35": SupportItemFactory(designation=two_provinces.jawa_timur.designation),
        "33": SupportItemFactory(designation=two_provinces.jawa_tengah.designation),
    }


@pytest.mark.parametrize(
    ("user_fixture", "reads", "changes"),
    [
        ("programme_officer", {"35", "33"}, {"35", "33"}),
        ("administrator", {"35", "33"}, {"35", "33"}),
        ("provincial_officer", {"35"}, set()),
        ("organisation_manager", {"35"}, set()),
        ("verifier", set(), set()),
        ("nobody", set(), set()),
    ],
)
def test_who_reads_and_who_changes_support(request, items, user_fixture, reads, changes):
    user = request.getfixturevalue(user_fixture)

    def allowed(action):
        return {
            name
            for name, item in items.items()
            if support_item_can(user=user, item=item, action=action)
        }

    assert allowed(SupportAction.VIEW) == reads
    assert allowed(SupportAction.CHANGE) == changes
    assert support_may_plan(user=user) == bool(changes)


def test_an_unknown_action_is_a_programming_error(items, programme_officer):
    with pytest.raises(ValueError, match="Unknown action"):
        support_item_can(user=programme_officer, item=items["35"], action="approve")
