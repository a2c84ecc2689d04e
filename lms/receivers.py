"""Audit-log receivers: sign-ins, failed sign-ins, lockouts, sign-outs and role changes;
and one language per person, shared with Wagtail's profile (which its notices use).

Role and privilege changes are caught at the model (group membership, the privilege
flags), wherever they are made from; the actor is whoever's request made them (an
administrator in the Wagtail admin), or "system" outside a request.
"""

from __future__ import annotations

from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import m2m_changed, post_save, pre_save
from django.dispatch import receiver
from wagtail.users.models import UserProfile

from lms.observability import audit_actor
from lms.security import client_ip, log_event

User = get_user_model()
PRIVILEGE_FLAGS = {"is_superuser", "is_staff", "is_active"}


def _ip(request) -> str:
    return client_ip(request) if request is not None else ""


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs) -> None:
    log_event("login", actor=user.email, ip=_ip(request))


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs) -> None:
    log_event("logout", actor=getattr(user, "email", "anonymous"), ip=_ip(request))


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs) -> None:
    # The username is what was typed; never the password.
    log_event("login_failed", actor=str(credentials.get("username", "")), ip=_ip(request))


@receiver(user_locked_out)
def _locked_out(sender, request, username, ip_address, **kwargs) -> None:
    log_event("lockout", actor=str(username or ""), ip=ip_address)


@receiver(m2m_changed, sender=User.groups.through)
def _groups_changed(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    if action != "post_clear" and not pk_set:
        return  # adding a group someone already has changes nothing
    from django.contrib.auth.models import Group

    if reverse:  # group.user_set.add(...): instance is the group
        users = User.objects.filter(pk__in=pk_set or ()).values_list("email", flat=True)
        actor = audit_actor()
        for email in users:
            log_event(f"role_{action[5:]}", actor=actor, user=email, group=instance.name)
        return
    names = sorted(Group.objects.filter(pk__in=pk_set or ()).values_list("name", flat=True))
    log_event(f"role_{action[5:]}", actor=audit_actor(), user=instance.email, groups=names)


@receiver(pre_save, sender=User)
def _privileges_changed(sender, instance, raw=False, update_fields=None, **kwargs) -> None:
    if raw or instance.pk is None:
        return
    if update_fields is not None and not set(update_fields) & PRIVILEGE_FLAGS:
        return  # e.g. last_login at sign-in: nothing to compare, no query
    before = User.objects.filter(pk=instance.pk).values(*PRIVILEGE_FLAGS).first()
    if before is None:
        return
    for flag, was in before.items():
        now = getattr(instance, flag)
        if now != was:
            log_event(
                "privilege_change", actor=audit_actor(), user=instance.email, flag=flag, value=now
            )


# One language per person. Wagtail mails its notices (moderation, comments) in the
# recipient's UserProfile.preferred_language, and with none in the language of whoever
# caused them; the project's own mails use User.preferred_language. Each follows the other.


@receiver(post_save, sender=User)
def _user_language_to_profile(
    sender, instance, created, update_fields, raw=False, **kwargs
) -> None:
    if raw or created or (update_fields is not None and "preferred_language" not in update_fields):
        return  # a new user has no profile yet: it takes the language when it is made
    UserProfile.objects.filter(user_id=instance.pk).exclude(
        preferred_language=instance.preferred_language
    ).update(preferred_language=instance.preferred_language)


@receiver(pre_save, sender=UserProfile)
def _profile_language_from_user(sender, instance, raw=False, **kwargs) -> None:
    if not raw and not instance.preferred_language:
        instance.preferred_language = instance.user.preferred_language


@receiver(post_save, sender=UserProfile)
def _profile_language_to_user(sender, instance, raw=False, **kwargs) -> None:
    user = instance.user
    language = instance.preferred_language
    if raw or language == user.preferred_language or language not in dict(settings.LANGUAGES):
        return
    user.preferred_language = instance.preferred_language
    User.objects.filter(pk=user.pk).update(preferred_language=user.preferred_language)
