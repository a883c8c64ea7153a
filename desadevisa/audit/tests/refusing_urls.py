"""Staff pages that refuse everyone, one per form of the staff gate."""

from django.core.exceptions import PermissionDenied
from django.urls import path
from django.views import View

from desadevisa.accounts.decorators import StaffRequiredMixin, staff_required


@staff_required
def refusing_view(request):
    raise PermissionDenied


class RefusingView(StaffRequiredMixin, View):
    def get(self, request):
        raise PermissionDenied


urlpatterns = [
    path("refusing/", refusing_view),
    path("refusing-class/", RefusingView.as_view()),
]
