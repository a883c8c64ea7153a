from django.urls import path

from desadevisa.notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.inbox_view, name="inbox"),
    path("badge/", views.inbox_badge_view, name="inbox-badge"),
    path("read-all/", views.inbox_read_all_view, name="inbox-read-all"),
    path("<int:pk>/open/", views.notification_open_view, name="notification-open"),
]
