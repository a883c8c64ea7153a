"""The gate in front of every staff page: signed in, and two-factor confirmed where required."""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django_htmx.http import HttpResponseClientRedirect

from desadevisa.accounts.redirects import two_factor_step_url
from desadevisa.accounts.scopes import two_factor_pending


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


def staff_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Decorate a staff view: it runs only for a signed-in, two-factor confirmed session."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        refusal = staff_refusal(request)
        return refusal if refusal is not None else view(request, *args, **kwargs)

    return wrapper


class StaffRequiredMixin:
    """The class-based form of staff_required; put it first among the bases."""

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        refusal = staff_refusal(request)
        return refusal if refusal is not None else super().dispatch(request, *args, **kwargs)
