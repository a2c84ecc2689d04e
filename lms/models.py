"""People and reference data shared by every app: the user, the learner profile, regions."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra_fields) -> User:
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra_fields) -> User:
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email: str, password: str | None = None, **extra_fields) -> User:
        extra_fields["is_staff"] = True
        extra_fields["is_superuser"] = True
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, username: str) -> User:
        # E-mail addresses are matched without regard to case: akims type them on phones.
        return self.get(email__iexact=username)


class User(AbstractBaseUser, PermissionsMixin):
    """An account: learner, trainer, methodologist, registrar or administrator.

    People sign in with their e-mail address. ``full_name`` is the name as it should be
    printed (on certificates, in reports): Kazakh and Russian names often carry a
    patronymic, which a first/last split would lose.
    """

    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=200)
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=2,
        choices=settings.LANGUAGES,
        default="ru",
    )
    is_staff = models.BooleanField(
        _("staff status"),
        default=False,
        help_text=_("Can sign in to the administration site."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)
    # Kept by the notifications app in the same transaction as the rows it counts, so
    # that every page's header shows it without a query. A default in the database too:
    # rows written by code that predates the column (older migrations' models) get 0.
    unread_notifications = models.PositiveIntegerField(
        _("unread notifications"), default=0, db_default=0, editable=False
    )

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["full_name"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="lms_user_email_ci_unique"),
        ]

    def __str__(self) -> str:
        return self.full_name or self.email

    def clean(self) -> None:
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email


class Region(models.Model):
    """One of the 17 regions or 3 cities of republican significance (reference data)."""

    class Kind(models.TextChoices):
        REGION = "region", _("region")
        CITY = "city", _("city of republican significance")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    name_kk = models.CharField(_("name in Kazakh"), max_length=100)
    name_ru = models.CharField(_("name in Russian"), max_length=100)
    name_en = models.CharField(_("name in English"), max_length=100)

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["kind", "name_en"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        """The name in the active language (Russian when the language is unknown)."""
        from django.utils.translation import get_language

        language = (get_language() or "ru")[:2]
        return getattr(self, f"name_{language}", None) or self.name_ru


class LearnerProfile(models.Model):
    """Where a learner serves and how to reach them."""

    class Position(models.TextChoices):
        AKIM = "akim", _("akim")
        DEPUTY = "deputy", _("deputy akim")
        STAFF = "staff", _("akimat staff")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="learner_profile",
        verbose_name=_("user"),
    )
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="learners",
        verbose_name=_("region"),
    )
    rural_district = models.CharField(_("rural district"), max_length=200, blank=True)
    position = models.CharField(
        _("position"), max_length=10, choices=Position.choices, default=Position.AKIM
    )
    phone = models.CharField(
        _("phone"),
        max_length=20,
        blank=True,
        validators=[
            RegexValidator(
                r"^\+?[0-9 ()-]{7,20}$",
                _("Enter a phone number such as +7 701 123 45 67."),
            )
        ],
    )

    class Meta:
        verbose_name = _("learner profile")
        verbose_name_plural = _("learner profiles")

    def __str__(self) -> str:
        return str(self.user)


# The ledger: append-only, hash-chained history (lms.ledger) --------------------------


class AppendOnlyError(Exception):
    """A ledger entry was to be changed or deleted: the ledger only ever grows."""


class LedgerEntryQuerySet(models.QuerySet):
    """Refuses the bulk writes that would change or remove entries."""

    def update(self, **kwargs):
        raise AppendOnlyError("Ledger entries cannot be changed.")

    def delete(self):
        raise AppendOnlyError("Ledger entries cannot be deleted.")

    delete.queryset_only = True  # as on QuerySet: no objects.delete()

    def _raw_delete(self, using):
        raise AppendOnlyError("Ledger entries cannot be deleted.")

    def bulk_create(self, objs, *args, **kwargs):
        if kwargs.get("update_conflicts"):  # an upsert would overwrite entries
            raise AppendOnlyError("Ledger entries cannot be changed.")
        return super().bulk_create(objs, *args, **kwargs)


class LedgerEntry(models.Model):
    """One entry of a chain: what happened to a subject, and the hash that ties it to the
    entry before it.

    ``entry_hash`` is the SHA-256 of every other field, the previous entry's hash
    included (``lms.ledger.entry_hash``), so changing or removing an entry breaks the
    chain at that point. No foreign keys: nothing may delete an entry by cascade.
    """

    chain = models.CharField(_("chain"), max_length=50)
    sequence = models.PositiveBigIntegerField(_("sequence"))
    subject = models.CharField(_("subject"), max_length=100)
    action = models.CharField(_("action"), max_length=50)
    payload = models.JSONField(_("payload"), default=dict)
    actor = models.CharField(_("actor"), max_length=254)
    recorded_at = models.DateTimeField(_("recorded at"))
    previous_hash = models.CharField(_("previous hash"), max_length=64)
    entry_hash = models.CharField(_("hash"), max_length=64)

    objects = LedgerEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        constraints = [
            models.UniqueConstraint(fields=["chain", "sequence"], name="lms_ledger_chain_sequence")
        ]
        indexes = [models.Index(fields=["chain", "subject"], name="lms_ledger_chain_subject")]

    def __str__(self) -> str:
        return f"{self.chain} #{self.sequence} {self.subject}"

    def save(self, *args, **kwargs) -> None:
        """Insert once; an entry that exists cannot be saved again."""
        if not self._state.adding:
            raise AppendOnlyError("Ledger entries cannot be changed.")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Ledger entries cannot be deleted.")


class LedgerHead(models.Model):
    """The last entry of each chain. Appending locks this row, so appends to one chain
    queue up and every sequence number is used exactly once."""

    chain = models.CharField(_("chain"), max_length=50, primary_key=True)
    last_sequence = models.PositiveBigIntegerField(_("last sequence"), default=0)
    last_hash = models.CharField(_("last hash"), max_length=64)

    class Meta:
        verbose_name = _("ledger head")
        verbose_name_plural = _("ledger heads")

    def __str__(self) -> str:
        return f"{self.chain} #{self.last_sequence}"


class RateLimitCounter(models.Model):
    """Events counted per key and time window in the database, for the moments the
    shared cache cannot count them (see ``lms.security.rate_limited``).

    Rows are pruned once their window has passed.
    """

    key = models.CharField(max_length=200)
    window_start = models.DateTimeField()
    expires_at = models.DateTimeField(db_index=True)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["key", "window_start"], name="rate_limit_counter_window"
            )
        ]

    def __str__(self) -> str:
        return f"{self.key} @ {self.window_start:%Y-%m-%d %H:%M:%S}: {self.count}"


class WorkerHeartbeat(models.Model):
    """A task worker's sign of life (``manage.py db_worker``), renewed every few seconds.

    A task left running by a worker whose heartbeat has stopped was cut off (the worker
    was killed, or its machine went away): ``lms.background.stale_tasks_recover`` puts
    it back in its queue. A worker that stops cleanly deletes its row.
    """

    worker_id = models.CharField(max_length=64, unique=True)
    queues = models.CharField(max_length=200)
    host = models.CharField(max_length=255, blank=True)
    pid = models.PositiveIntegerField(null=True)
    started_at = models.DateTimeField(default=timezone.now)
    seen_at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self) -> str:
        return f"{self.worker_id} ({self.queues}) @ {self.host}:{self.pid}"


class ScheduledJob(models.Model):
    """One periodic job of the scheduler (``manage.py run_scheduler``, see
    ``lms.scheduler``): when it is due next, who is running it, and how it last went.

    The row is the lock: a scheduler runs a job only after a conditional UPDATE moved
    ``next_run_at`` on and leased the row to it, so of several schedulers exactly one
    runs each due time, and none while another holds the lease.
    """

    name = models.CharField(max_length=100, unique=True)
    next_run_at = models.DateTimeField()
    locked_by = models.CharField(max_length=100, blank=True)
    locked_until = models.DateTimeField(null=True, blank=True)
    last_started_at = models.DateTimeField(null=True, blank=True)
    last_finished_at = models.DateTimeField(null=True, blank=True)
    last_outcome = models.CharField(max_length=10, blank=True)  # "ok" or "failed"
    last_message = models.TextField(blank=True)
    runs = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.name} (next {self.next_run_at:%Y-%m-%d %H:%M:%S})"
