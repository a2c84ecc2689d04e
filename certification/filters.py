"""Filters of the certificate registry's listing in the admin."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet

from certification import numbers
from certification.forms import CohortChoiceField, courses_once
from certification.models import STATUS_LABELS, Certificate
from courses.models import Cohort
from lms.models import Region


def name_query(field: str, typed: str) -> Q:
    """Part of a name, whatever its case: SQLite compares only ASCII letters without
    case, so the usual spellings of Cyrillic names are tried as typed too."""
    typed = " ".join(typed.split())
    variants = {typed, typed.lower(), typed.upper(), typed.title(), typed.capitalize()}
    query = Q()
    for variant in variants:
        query |= Q(**{f"{field}__icontains": variant})
    return query


class CohortFilter(django_filters.ModelChoiceFilter):
    field_class = CohortChoiceField


class CertificateFilterSet(WagtailFilterSet):
    number = django_filters.CharFilter(label=_("Number"), method="filter_number")
    holder_name = django_filters.CharFilter(label=_("Holder"), method="filter_holder_name")
    course = django_filters.ModelChoiceFilter(
        label=_("Course"), queryset=lambda request: courses_once(), method="filter_course"
    )
    cohort = CohortFilter(
        label=_("Cohort"), queryset=lambda request: Cohort.objects.select_related("course")
    )
    region = django_filters.ModelChoiceFilter(
        label=_("Region"),
        queryset=lambda request: Region.objects.all(),
        field_name="holder__learner_profile__region",
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=list(STATUS_LABELS.items()),
        method="filter_status",
        widget=forms.RadioSelect,
        empty_label=_("All"),
    )
    issued_at = django_filters.DateFromToRangeFilter(
        label=_("Issued"), widget=DateRangePickerWidget
    )

    class Meta:
        model = Certificate
        fields = ["number", "holder_name", "course", "cohort", "region", "status", "issued_at"]

    def filter_number(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        """A number as typed (case, spaces, hyphens, look-alike letters are forgiven)."""
        canonical = numbers.parse(value)
        return queryset.filter(number=canonical) if canonical else queryset.none()

    def filter_holder_name(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(name_query("holder_name", value))

    def filter_course(self, queryset: QuerySet, name: str, value) -> QuerySet:
        return queryset.filter(course_key=value.translation_key)

    def filter_status(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        today = timezone.localdate()
        standing = Q(revoked_at__isnull=True)
        if value == "revoked":
            return queryset.filter(revoked_at__isnull=False)
        if value == "expired":
            return queryset.filter(standing, expires_on__lt=today)
        if value == "valid":
            return queryset.filter(
                standing & (Q(expires_on__isnull=True) | Q(expires_on__gte=today))
            )
        return queryset
