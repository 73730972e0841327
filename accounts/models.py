import uuid

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models.functions import Lower

from accounts.roles import Role


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email: str, password: str | None = None, **extra_fields):
        extra_fields["is_staff"] = True
        extra_fields["is_superuser"] = True
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, username):
        return self.get(email__iexact=username)


class EducatorStage(models.TextChoices):
    STAGE_1 = "stage_1", "Stage 1"
    STAGE_2 = "stage_2", "Stage 2"


class User(AbstractUser):
    """A person who signs in with their email address."""

    username = None
    email = models.EmailField("email address", unique=True)
    # The university's own number for a student, as printed on the practice assessment report.
    student_number = models.CharField(max_length=40, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Printed on the final report: a panel checks who was assessed and who assessed.
    educator_stage = models.CharField(
        "Practice Educator Professional Standards stage",
        max_length=10,
        choices=EducatorStage.choices,
        blank=True,
        help_text="For practice educators.",
    )
    registration_number = models.CharField(
        "Social Work England registration number",
        max_length=20,
        blank=True,
        help_text="For registered social workers, e.g. SW123456.",
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        ordering = ["last_name", "first_name", "email"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique"),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.email

    @property
    def educator_credentials(self) -> str:
        """ "PEPS stage 2 · SWE registration SW123456", or "" when none is recorded."""
        parts = []
        if self.educator_stage:
            parts.append(f"PEPS {self.get_educator_stage_display().lower()}")
        if self.registration_number:
            parts.append(f"Social Work England registration {self.registration_number}")
        return " · ".join(parts)

    def role_names(self) -> set[str]:
        # Cached per instance: templates and views ask several times per request.
        if not hasattr(self, "_role_names"):
            self._role_names = set(self.groups.values_list("name", flat=True))
        return self._role_names

    def has_role(self, role: Role | str) -> bool:
        return str(role) in self.role_names()


class Invitation(models.Model):
    """A single-use link, valid for a set time, for someone with no password yet to set one.

    Only the token's SHA-256 is stored. Sending again makes a new invitation and closes the
    old one (`replaced_by`), so only the newest link works.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="invitations")
    role = models.CharField(max_length=40, choices=Role.choices)
    invited_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    replaced_by = models.OneToOneField(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="replaces"
    )
    # When the person asked, from a dead link, for a new one (their coordinator is told).
    renewal_requested_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="invitation_one_open_per_user",
            )
        ]

    def __str__(self) -> str:
        return f"Invitation for {self.user.email}"


# Connects the sign-in receiver that keeps idle sessions cheap (see accounts/middleware.py).
from accounts import middleware as _session_middleware  # noqa: E402, F401
