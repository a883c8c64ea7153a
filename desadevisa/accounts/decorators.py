"""The gate in front of every staff page: signed in, and two-factor confirmed where required.

Behind the gate, a page that refuses the signed-in person (a scoped selector's 404, a
permission check's 403) leaves an ``access_denied`` audit event.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django_htmx.http import HttpResponseClientRedirect

from desadevisa.accounts.redirects import two_factor_step_url
from desadevisa.accounts.scopes import two_factor_pending
from desadevisa.audit.models import AuditAction
from desadevisa.audit.services import audit_record


def staff_refusal(request: HttpRequest) -> HttpResponse | None:
    """The redirect that keeps ``request`` from a staff page, or None to let it through.

    The anonymous go to sign in, a session still waiting for its one-time code goes to the code
    step; both come back to the page they asked for. What the person may see there is still up
    to the page's scoped selectors.
    """
    user = request.user
    if not user.is_authenticated:
        response = redirect_to_login(request.get_full_path())
    elif two_factor_pending(user):
        response = redirect(two_factor_step_url(user, request.get_full_path()))
    else:
        return None
    # htmx would follow a redirect inside the fragment it is swapping; ask for a full page.
    if getattr(request, "htmx", False):
        return HttpResponseClientRedirect(response["Location"])
    return response


@contextmanager
def refusals_audited(request: HttpRequest) -> Iterator[None]:
    """Record an ``access_denied`` event when the block raises Http404 or PermissionDenied.

    The event names the actor, the method, the path and the status; the query string is left
    out, as it may carry personal data. The exception then goes on to be answered as usual.
    The event is written in autocommit: staff requests run without ATOMIC_REQUESTS, so no
    rollback of the failed request takes it away.
    """
    try:
        yield
    except (Http404, PermissionDenied) as refusal:
        status = 404 if isinstance(refusal, Http404) else 403
        audit_record(
            actor=request.user,
            action=AuditAction.ACCESS_DENIED,
            summary=f"{request.method} {request.path} answered {status}",
        )
        raise


def staff_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Decorate a staff view: it runs only for a signed-in, two-factor confirmed session."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        refusal = staff_refusal(request)
        if refusal is not None:
            return refusal
        with refusals_audited(request):
            return view(request, *args, **kwargs)

    return wrapper


class StaffRequiredMixin:
    """The class-based form of staff_required; put it first among the bases."""

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        refusal = staff_refusal(request)
        if refusal is not None:
            return refusal
        with refusals_audited(request):
            return super().dispatch(request, *args, **kwargs)
