"""Token issuing for the stand-in host's users (tests and the demo)."""

import secrets
from datetime import timedelta

import jwt
from django.conf import settings
from django.utils import timezone

from .app.models import AppToken


def create_access_token(user, *, type="access", permissions=None, ttl=timedelta(minutes=5)) -> str:
    now = timezone.now()
    payload = {
        "type": type,
        "user_id": user.pk,
        "email": user.email,
        "token": str(user.jwt_token_key),
        "iat": int(now.timestamp()),
        "exp": int((now + ttl).timestamp()),
    }
    if permissions is not None:
        payload["permissions"] = list(permissions)
    return jwt.encode(payload, settings.SECRET_KEY, algorithm="HS256")


def create_app_token(app) -> str:
    raw = secrets.token_urlsafe(22)[:30]
    AppToken.objects.create(app=app, token_hash=AppToken.hash(raw))
    return raw
