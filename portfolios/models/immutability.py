"""Signed means signed at the model layer: rows that a signature rests on refuse a change.

A model that mixes in `Lockable` says which of its rows are locked (`locked_q`), which fields
may still change once locked (`mutable_when_locked`), and which foreign key's lock covers a
new row (`lock_parent`: a judgement added to a signed review is refused). Its `save()` and
`delete()`, its queryset's `update()`, `delete()`, `bulk_create()` and `bulk_update()`, and
`loaddata` (which saves past `save()`) all check the stored row, never the copy in memory.
A save that changes nothing passes, so `loaddata frameworks` runs again over frameworks in use.

On PostgreSQL, triggers (django-pgtrigger, declared in each model's Meta) refuse the same
changes to the database whoever sends them; see docs/security.md.
"""

import contextlib
import contextvars
from collections.abc import Iterable, Iterator

import pgtrigger
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.signals import pre_save
from django.dispatch import receiver

_suspended = contextvars.ContextVar("immutability_suspended", default=False)

# Every trigger below is named with this prefix, so `backdating()` can name them all.
TRIGGER_PREFIX = "locked_"


# A filter every saved row meets: for rows locked from the moment they exist (a signature).
ALWAYS = models.Q(pk__isnull=False)


def _is_timestamp(field) -> bool:
    # Timestamps move on their own (`loaddata` included); they are not what was signed.
    return getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)


class LockedError(ValidationError):
    """A change to something a signature rests on. Its message is a sentence for the user."""


class LockableQuerySet(models.QuerySet):
    def _locked(self) -> models.QuerySet:
        return self.filter(self.model.locked_q())

    def update(self, **kwargs):
        if not _suspended.get():
            guarded = set(kwargs) - self.model.mutable_names()
            guarded |= {k for k, v in self.model.never_when_locked.items() if kwargs.get(k) == v}
            if guarded and self._locked().exists():
                raise LockedError(self.model.lock_message)
            if self._steps_taken(kwargs).exists():
                raise LockedError(self.model.lock_message)
            self.model.check_parents(
                kwargs.get(self.model.lock_parent) or kwargs.get(f"{self.model.lock_parent}_id")
            )
        return super().update(**kwargs)

    update.queryset_only = True

    def _steps_taken(self, fields) -> models.QuerySet:
        """Rows where a step already taken would have one of its own `fields` rewritten."""
        markers = [
            marker
            for marker, own in self.model.step_fields.items()
            if self.model.field_names(own) & set(fields)
        ]
        if not markers:
            return self.none()
        taken = models.Q()
        for marker in markers:
            taken |= models.Q(**{f"{marker}__isnull": False})
        return self.filter(self.model.locked_q() & taken)

    def delete(self):
        if not _suspended.get() and self._locked().exists():
            raise LockedError(self.model.lock_message)
        return super().delete()

    delete.queryset_only = True

    def bulk_update(self, objs, fields, batch_size=None):
        objs = list(objs)
        if not _suspended.get() and set(fields) - self.model.mutable_names():
            pks = [o.pk for o in objs]
            if self.model._base_manager.filter(self.model.locked_q(), pk__in=pks).exists():
                raise LockedError(self.model.lock_message)
        steps = self.filter(pk__in=[o.pk for o in objs])._steps_taken(fields)
        if not _suspended.get() and steps.exists():
            raise LockedError(self.model.lock_message)
        return super().bulk_update(objs, fields, batch_size=batch_size)

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        if not _suspended.get() and self.model.lock_parent:
            attname = self.model._meta.get_field(self.model.lock_parent).attname
            self.model.check_parents(*(getattr(o, attname) for o in objs))
        return super().bulk_create(objs, *args, **kwargs)


LockableManager = models.Manager.from_queryset(LockableQuerySet)


class Lockable(models.Model):
    """Rows that become read-only once something is signed (or in use)."""

    # The sentence the user reads when a change is refused.
    lock_message = "This record is locked and can no longer be changed."
    # The foreign key to the row whose lock also covers new rows of this model, if any.
    lock_parent: str | None = None
    # Fields that may still change on a locked row (the sign-off chain's own steps).
    mutable_when_locked: tuple[str, ...] = ()
    # Values a locked row may never take, even in a field that may change (a signed review
    # never goes back to draft).
    never_when_locked: dict[str, object] = {}
    # Fields that may change on a locked row only until their own step is taken: once the
    # stored row's key field is set, the fields listed for it are fixed too (the tutor's
    # comment belongs to the countersignature and does not change after it).
    step_fields: dict[str, tuple[str, ...]] = {}

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.check_save(kwargs.get("update_fields"))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self.check_unlocked()
        return super().delete(*args, **kwargs)

    def clean(self):
        # Lets a form (the admin's included) show the refusal beside the form, not as a 500.
        super().clean()
        self.check_save()

    @classmethod
    def locked_q(cls) -> models.Q:
        """The rows of this model that are locked, as a filter (`ALWAYS`: every row)."""
        raise NotImplementedError

    @classmethod
    def mutable_names(cls) -> set[str]:
        names = set(cls.mutable_when_locked)
        for name in cls.mutable_when_locked:
            names.add(cls._meta.get_field(name).attname)
        names.update(f.name for f in cls._meta.concrete_fields if _is_timestamp(f))
        return names

    @classmethod
    def field_names(cls, names: Iterable[str]) -> set[str]:
        """The names and attnames of these fields, as `update()` and `save()` may spell them."""
        found = set()
        for name in names:
            found |= {name, cls._meta.get_field(name).attname}
        return found

    @classmethod
    def check_parents(cls, *parent_ids) -> None:
        """Refuse a new (or moved) row under a locked parent."""
        parent_ids = [p.pk if isinstance(p, models.Model) else p for p in parent_ids]
        parent_ids = [p for p in parent_ids if p is not None]
        if _suspended.get() or not cls.lock_parent or not parent_ids:
            return
        parent = cls._meta.get_field(cls.lock_parent).related_model
        if parent._base_manager.filter(parent.locked_q(), pk__in=parent_ids).exists():
            raise LockedError(cls.lock_message)

    def check_save(self, update_fields: Iterable[str] | None = None) -> None:
        if _suspended.get():
            return
        fields = [
            f
            for f in self._meta.concrete_fields
            if not f.primary_key and (update_fields is None or f.name in update_fields)
        ]
        stored = None
        if self.pk is not None:
            stored = (
                type(self)
                ._base_manager.filter(pk=self.pk)
                .annotate(
                    _locked=models.Case(
                        models.When(self.locked_q(), then=True),
                        default=False,
                        output_field=models.BooleanField(),
                    )
                )
                .values(
                    "_locked",
                    *{f.attname for f in fields}
                    | {self._meta.get_field(m).attname for m in self.step_fields},
                )
                .first()
            )
        if stored is not None and stored["_locked"]:
            changed = {f.name for f in fields if getattr(self, f.attname) != stored[f.attname]}
            fixed = {
                name
                for marker, own in self.step_fields.items()
                if stored[self._meta.get_field(marker).attname] is not None
                for name in own
            }
            if (
                changed - self.mutable_names()
                or changed & fixed
                or any(getattr(self, k) == v for k, v in self.never_when_locked.items())
            ):
                raise LockedError(self.lock_message)
        elif self.lock_parent:
            attname = self._meta.get_field(self.lock_parent).attname
            moved = stored is None or (
                attname in stored and stored[attname] != getattr(self, attname)
            )
            if moved:
                self.check_parents(getattr(self, attname))

    def check_unlocked(self) -> None:
        """Refuse if the stored row is locked (before a delete, or a change to its links)."""
        if _suspended.get() or self.pk is None:
            return
        if type(self)._base_manager.filter(self.locked_q(), pk=self.pk).exists():
            raise LockedError(self.lock_message)


@receiver(pre_save)
def _check_raw_save(sender, instance, raw=False, **kwargs):
    # `loaddata` saves through Model.save_base, past save(): check what it writes too.
    if raw and isinstance(instance, Lockable):
        instance.check_save()


@contextlib.contextmanager
def _locks_suspended() -> Iterator[None]:
    token = _suspended.set(True)
    try:
        with pgtrigger.ignore():
            yield
    finally:
        _suspended.reset(token)


@contextlib.contextmanager
def backdating() -> Iterator[None]:
    """Let seed_demo date what it made as it would have happened (a signature last spring).

    Nothing else may use this: a correction to signed work is an amendment with a reason."""
    with _locks_suspended():
        yield


@contextlib.contextmanager
def anonymising() -> Iterator[None]:
    """Let `apply_retention` blank what a signed record held once it is past its retention
    period (privacy/retention.py). The signed report's PDF and hash are kept, so what was
    signed stays provable. Nothing else may use this."""
    with _locks_suspended():
        yield


class LockTrigger(pgtrigger.Trigger):
    """A PostgreSQL trigger refusing changes to locked rows, whoever sends them.

    `lock_sql` is a boolean SQL expression over the row, written with `R.` for it (`R.column`
    becomes OLD.column or NEW.column). A DELETE of a locked row is refused, and so is an
    UPDATE that changes one of `columns` (by default every column but the key and the
    timestamps; an UPDATE that changes nothing passes, as in Python) or meets `also_sql`.
    With `new_rows`, a row inserted or moved where the lock holds is refused too (a judgement
    added to a signed review). `steps` mirrors the model's `step_fields`: once OLD's key
    column is set, an UPDATE changing any of that step's columns is refused too."""

    when = pgtrigger.Before

    def __init__(
        self,
        *,
        name,
        lock_sql,
        message,
        columns=None,
        new_rows=False,
        also_sql="",
        steps=None,
    ):
        self.lock_sql, self.message, self.columns = lock_sql, message, columns
        self.new_rows, self.also_sql, self.steps = new_rows, also_sql, steps or {}
        operation = pgtrigger.Update | pgtrigger.Delete
        if new_rows:
            operation = pgtrigger.Insert | operation
        super().__init__(name=f"{TRIGGER_PREFIX}{name}", operation=operation)

    def get_func(self, model):
        if self.columns is None:
            fields = [
                f for f in model._meta.concrete_fields if not f.primary_key and not _is_timestamp(f)
            ]
        else:
            fields = [model._meta.get_field(name) for name in self.columns]
        old = ", ".join(f"OLD.{f.column}" for f in fields)
        new = ", ".join(f"NEW.{f.column}" for f in fields)
        changed = f"ROW({old}) IS DISTINCT FROM ROW({new})"
        if self.also_sql:
            changed = f"{changed} OR {self.also_sql}"
        for marker, own in self.steps.items():
            columns = [model._meta.get_field(name).column for name in own]
            changed += (
                f" OR (OLD.{model._meta.get_field(marker).column} IS NOT NULL AND "
                f"ROW({', '.join(f'OLD.{c}' for c in columns)}) IS DISTINCT FROM "
                f"ROW({', '.join(f'NEW.{c}' for c in columns)}))"
            )
        message = self.message.replace("'", "''")
        refuse = f"RAISE EXCEPTION '{message}' USING ERRCODE = 'integrity_constraint_violation';"
        old_locked = self.lock_sql.replace("R.", "OLD.")
        new_locked = self.lock_sql.replace("R.", "NEW.")
        # SQL's AND need not short-circuit, so each test of TG_OP is an IF of its own: an INSERT
        # never runs the lock's query over OLD, nor a DELETE the one over NEW.
        body = (
            f"IF TG_OP <> 'INSERT' THEN IF ({old_locked}) AND (TG_OP = 'DELETE' OR {changed}) "
            f"THEN {refuse} END IF; END IF; "
        )
        if self.new_rows:
            body += (
                f"IF TG_OP <> 'DELETE' THEN IF ({new_locked}) AND (TG_OP = 'INSERT' OR {changed}) "
                f"THEN {refuse} END IF; END IF; "
            )
        return body + "IF TG_OP = 'DELETE' THEN RETURN OLD; END IF; RETURN NEW;"


def lock_trigger(name: str, **kwargs) -> LockTrigger:
    return LockTrigger(name=name, **kwargs)
