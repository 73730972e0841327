def username_for_lockout(request, credentials) -> str | None:
    """The email a login attempt is for, lower-cased as it is when signing in, so that
    "Student@…" and "student@…" share one count of failures."""
    username = (credentials or {}).get("username")
    if username is None and request is not None:
        username = request.POST.get("username")
    return username.strip().lower() if username else username
