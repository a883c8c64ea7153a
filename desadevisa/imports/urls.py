from django.urls import path

from desadevisa.imports import views

app_name = "imports"

urlpatterns = [
    path("", views.import_start_view, name="import-start"),
    path("template/", views.import_template_view, name="template"),
    path("<uuid:pk>/", views.import_job_detail_view, name="job-detail"),
    path("<uuid:pk>/apply/", views.import_job_apply_view, name="job-apply"),
]
