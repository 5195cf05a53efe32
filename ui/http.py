"""HTTP routes beside the Streamlit app (mounted by asgi.py): move a fresh login into an
HttpOnly cookie, and clear it on logout. The page calls them with a same-origin fetch, so a
login never reloads the page. No page content is served here.

Both routes accept only POST with the ``X-Linli-Auth`` header: a cross-site form cannot set a
custom header, and a cross-site script would need a CORS preflight, which is never granted.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from services import sessions
from services.config import load_settings
from services.db import engine_for

HEADER = "X-Linli-Auth"


def _refuse() -> Response:
    return Response(status_code=403, headers={"Cache-Control": "no-store"})


def _same_origin(request: Request) -> bool:
    if request.headers.get(HEADER) != "1":
        return False
    origin = request.headers.get("origin")
    return origin is None or origin.split("://", 1)[-1] == request.headers.get("host")


async def handoff(request: Request) -> Response:
    if not _same_origin(request):
        return _refuse()
    settings = load_settings()
    token = sessions.redeem_handoff(engine_for(settings.database_url), request.query_params.get("code", ""))
    if token is None:
        return _refuse()
    response = Response(status_code=204, headers={"Cache-Control": "no-store"})
    response.set_cookie(
        sessions.COOKIE_NAME,
        token,
        max_age=sessions.cookie_max_age(),
        path="/",
        httponly=True,
        samesite="lax",
        secure=bool(settings.extra.get("https", False)),
    )
    return response


async def logout(request: Request) -> Response:
    if not _same_origin(request):
        return _refuse()
    response = Response(status_code=204, headers={"Cache-Control": "no-store"})
    response.delete_cookie(sessions.COOKIE_NAME, path="/")
    return response


ROUTES = [Route("/auth/handoff", handoff, methods=["POST"]), Route("/auth/logout", logout, methods=["POST"])]
