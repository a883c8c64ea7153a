"""Who may reach the inquiry pages, for the permission matrix.

The public pages answer anyone (an unknown product: 404). The pipeline's readers are the
national roles everywhere, and in Jawa Timur its provincial officer and the manager of the
organisation whose member unit makes the product. The provincial officer follows the list
without the buyers' contact details: the detail, which shows them, answers 404, and a move
403. Verifiers and people without a role read no inquiry: 404.
"""

from desadevisa.core.tests.matrix import NATIONAL_ROLES, Access, ObjectScoped, Public, SignedIn
from desadevisa.inquiries.tests.factories import InquiryFactory

READERS = NATIONAL_ROLES | {"provincial_officer", "organisation_manager"}
HANDLERS = NATIONAL_ROLES | {"organisation_manager"}


def inquiry(world, records) -> dict[str, object]:
    return {"pk": InquiryFactory(product=records.product).pk}


PATTERNS: dict[str, Access] = {
    "inquiry:privacy": Public(),
    "inquiry:create": Public(status=404, kwargs={"slug": "no-such-product"}),
    "inquiry:sent": Public(status=404, kwargs={"slug": "no-such-product"}),
    # Everyone signed in opens the list; it shows only the inquiries they read.
    "inquiries:list": SignedIn(),
    # The buyer's contact details: for the inquiry's handlers only.
    "inquiries:detail": ObjectScoped(
        kwargs=inquiry, readers=HANDLERS, readers_everywhere=NATIONAL_ROLES
    ),
    # A move without its fields answers the page again with the errors (400).
    "inquiries:move": ObjectScoped(
        kwargs=inquiry,
        readers=HANDLERS,
        readers_everywhere=NATIONAL_ROLES,
        method="post",
        status=400,
        refused=frozenset({"provincial_officer"}),
    ),
}
