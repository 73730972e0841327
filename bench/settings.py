"""The project's settings with one addition: the bare view the page benchmark compares every page
with, mounted at /_bench/bare/. Used only by `make bench`'s own gunicorn."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
