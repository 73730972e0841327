"""The application's URLs plus the bare view: one `SELECT 1` through the same middleware,
gunicorn and database connection as every page, so its rate is the stack's own ceiling."""

from django.db import connection
from django.http import HttpResponse
from django.urls import path

from config.urls import urlpatterns as application


def bare(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("_bench/bare/", bare, name="bench-bare"), *application]
