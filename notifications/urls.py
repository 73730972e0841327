from django.urls import path

from notifications import views

app_name = "notifications"

urlpatterns = [
    path("email/", views.mail_preferences, name="preferences"),
]
