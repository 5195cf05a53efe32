"""HTTP routes beside the Streamlit app (mounted by asgi.py): move a fresh login into an
HttpOnly cookie, and clear it on logout. No page content is served here."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse
from starlette.routing import Route

from services import sessions
from services.config import load_settings
from services.db import engine_for


def _safe_next(value: str | None) -> str:
    """Only same-site relative paths: never an open redirect."""
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return "/"
    return value


def _redirect(target: str) -> RedirectResponse:
    response = RedirectResponse(target, status_code=303)
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


async def handoff(request: Request) -> RedirectResponse:
    settings = load_settings()
    token = sessions.redeem_handoff(engine_for(settings.database_url), request.query_params.get("code", ""))
    response = _redirect(_safe_next(request.query_params.get("next")))
    if token:
        response.set_cookie(
            sessions.COOKIE_NAME, token, max_age=sessions.cookie_max_age(), path="/", httponly=True,
            samesite="lax", secure=bool(settings.extra.get("https", False)),
        )  # fmt: skip
    return response


async def logout(_request: Request) -> RedirectResponse:
    response = _redirect("/")
    response.delete_cookie(sessions.COOKIE_NAME, path="/")
    return response


ROUTES = [Route("/auth/handoff", handoff, methods=["GET"]), Route("/auth/logout", logout, methods=["GET"])]
