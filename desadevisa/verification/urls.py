from django.urls import path

from desadevisa.verification import views

app_name = "verification"

VISIT = "visits/<int:pk>/"
VISIT_PHOTO = f"{VISIT}photos/<int:photo_pk>/"

urlpatterns = [
    path("visits/", views.visit_list_view, name="visit-list"),
    path("nominations/<int:pk>/schedule/", views.visit_schedule_view, name="visit-schedule"),
    path(VISIT, views.visit_detail_view, name="visit-detail"),
    path(f"{VISIT}edit/", views.visit_update_view, name="visit-update"),
    path(f"{VISIT}submit/", views.visit_submit_view, name="visit-submit"),
    path(f"{VISIT}report/", views.visit_report_view, name="visit-report"),
    path(f"{VISIT}photos/add/", views.visit_photo_add_view, name="visit-photo-add"),
    path(f"{VISIT_PHOTO}delete/", views.visit_photo_delete_view, name="visit-photo-delete"),
    path(f"{VISIT_PHOTO}<str:rendition>/", views.visit_photo_view, name="visit-photo"),
]
