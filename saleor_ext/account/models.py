"""Users log in with their e-mail (Saleor's account model)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.crypto import get_random_string

from saleor_ext.core.models import ModelWithMetadata


class Address(ModelWithMetadata):
    first_name = models.CharField(max_length=256, blank=True)
    last_name = models.CharField(max_length=256, blank=True)
    company_name = models.CharField(max_length=256, blank=True)
    street_address_1 = models.CharField(max_length=256, blank=True)
    street_address_2 = models.CharField(max_length=256, blank=True)
    city = models.CharField(max_length=256, blank=True)
    city_area = models.CharField(max_length=128, blank=True)
    postal_code = models.CharField(max_length=20, blank=True)
    country = models.CharField(max_length=2, default=settings.DEFAULT_COUNTRY)
    country_area = models.CharField(max_length=128, blank=True)
    phone = models.CharField(max_length=32, blank=True)
    validation_skipped = models.BooleanField(default=False)

    # Saleor's Address carries metadata; no GIN index (nobody filters addresses by it).
    class Meta:
        ordering = ("pk",)

    def __str__(self) -> str:
        parts = [self.company_name, self.street_address_1, f"{self.postal_code} {self.city}".strip()]
        return ", ".join(p for p in parts if p)


class UserManager(BaseUserManager):
    def create_user(self, email: str, password: str | None = None, **extra):
        email = self.normalize_email(email).lower()
        user = self.model(email=email, **extra)
        user.set_password(password) if password else user.set_unusable_password()
        user.save()
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **extra)


def _new_jwt_key() -> str:
    return get_random_string(12)


class User(PermissionsMixin, ModelWithMetadata, AbstractBaseUser):
    email = models.EmailField(unique=True)
    first_name = models.CharField(max_length=256, blank=True)
    last_name = models.CharField(max_length=256, blank=True)
    addresses = models.ManyToManyField(Address, blank=True, related_name="user_addresses")
    default_shipping_address = models.ForeignKey(
        Address, related_name="+", null=True, blank=True, on_delete=models.SET_NULL
    )
    default_billing_address = models.ForeignKey(
        Address, related_name="+", null=True, blank=True, on_delete=models.SET_NULL
    )
    is_staff = models.BooleanField(default=False)
    is_active = models.BooleanField(default=True)
    is_confirmed = models.BooleanField(default=True)
    note = models.TextField(blank=True, null=True)
    date_joined = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)
    language_code = models.CharField(max_length=35, default=settings.LANGUAGE_CODE)
    # Rotating this key invalidates every token issued for the user.
    jwt_token_key = models.CharField(max_length=12, default=_new_jwt_key)
    uuid = models.UUIDField(default=uuid.uuid4, unique=True)

    USERNAME_FIELD = "email"
    objects = UserManager()

    class Meta:
        ordering = ("email",)
        permissions = (
            ("manage_users", "Manage customers."),
            ("manage_staff", "Manage staff."),
            ("impersonate_user", "Impersonate user."),
        )

    def __str__(self) -> str:
        return self.email

    def get_full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip() or self.email
