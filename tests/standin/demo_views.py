"""Demo-only views of the stand-in host: the dashboard shell page and its token."""

import pathlib
from datetime import timedelta

from django.http import FileResponse, HttpResponseNotFound, JsonResponse

from .account.models import User
from .tokens import create_access_token

ROOT = pathlib.Path(__file__).resolve().parents[2]
SHELL_DIR = ROOT / "dashboard-extension" / "shell"
SHELL_PAGE = SHELL_DIR / "index.html"
SHELL_SCRIPT = SHELL_DIR / "dashboard-urls.js"
DEMO_STAFF_EMAIL = "admin@example.com"


def shell_view(request, subpath=""):
    """The shell for /dashboard/ and every path below it (the Dashboard's index fallback)."""
    if subpath == SHELL_SCRIPT.name:
        return FileResponse(open(SHELL_SCRIPT, "rb"), content_type="text/javascript; charset=utf-8")
    if not SHELL_PAGE.is_file():
        return HttpResponseNotFound("dashboard-extension/shell/index.html is missing")
    return FileResponse(open(SHELL_PAGE, "rb"), content_type="text/html; charset=utf-8")


def token_view(request):
    """A dashboard-style extension token: thirdparty, 5 minutes, app ∩ user permissions."""
    if request.method != "POST":
        return JsonResponse({"error": "Use POST."}, status=405)
    user = User.objects.filter(email=DEMO_STAFF_EMAIL).first()
    if user is None:
        return JsonResponse({"error": "Run the demo set-up first."}, status=503)
    token = create_access_token(user, type="thirdparty", permissions=["MANAGE_CHANNELS"], ttl=timedelta(minutes=5))
    return JsonResponse({"token": token})
