import uuid

from django.db import models


class User(models.Model):
    """Saleor's staff user, reduced to what authentication and the audit trail need."""

    email = models.EmailField(unique=True)
    is_staff = models.BooleanField(default=False)
    is_active = models.BooleanField(default=True)
    # Saleor permission enum names, e.g. ["MANAGE_CHANNELS"].
    permissions = models.JSONField(default=list, blank=True)
    # Rotating it invalidates every token of the user, as in Saleor.
    jwt_token_key = models.CharField(max_length=36, default=uuid.uuid4)
    last_login = models.DateTimeField(null=True, blank=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []
    is_anonymous = False
    is_authenticated = True

    def __str__(self):
        return self.email


class StaffNotificationRecipient(models.Model):
    user = models.OneToOneField(User, null=True, blank=True, on_delete=models.CASCADE)
    staff_email = models.EmailField(unique=True, blank=True, null=True)
    active = models.BooleanField(default=True)

    def get_email(self):
        return self.user.email if self.user else self.staff_email
