"""Who is acting, what they may read, and which pages they may open.

Scoped data is read in two steps: ``clamp`` turns the scope a page asks for into the part the
principal may read (a ``ClampedScope``, which nothing else can build), and every public read
function is marked ``@scoped_read``, which refuses any other scope. So a page that forgets the
check fails loudly instead of leaking data. ``read`` does both steps for callers outside a page.
This module depends on nothing above the domain.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, ParamSpec, TypeVar

from services.domain import Scope

__all__ = [
    "ALL_ROLES",
    "OFFICIALS",
    "PAGES",
    "PAGE_ACCESS",
    "SWITCHES",
    "SYSTEM",
    "ClampedScope",
    "PageSpec",
    "PermissionDenied",
    "Principal",
    "UnscopedRead",
    "can_open",
    "clamp",
    "comparison_scope",
    "home_page",
    "is_scoped_read",
    "noting_comparisons",
    "pages_for",
    "read",
    "require_batch_compound",
    "require_batch_import",
    "require_import",
    "scoped_read",
    "takes_deadline",
]


class PermissionDenied(Exception):
    """The principal may not do this; the message is safe to show to the user (Chinese)."""


class UnscopedRead(TypeError):
    """A read function was called with a scope that did not come from ``clamp``."""


@dataclass(frozen=True)
class Principal:
    user_id: int | None
    username: str
    role: str  # admin / county / town / secretary
    town_code: str | None = None
    compound_id: int | None = None

    @property
    def can_import(self) -> bool:
        return self.role in ("admin", "secretary")


SYSTEM = Principal(user_id=None, username="system", role="admin")

_CLAMP_TOKEN = object()


class ClampedScope(Scope):
    """A scope after ``clamp``: what one principal may read. Only ``clamp`` builds one."""

    def __init__(self, town_code: str | None, compound_id: int | None, *, _token: object = None) -> None:
        if _token is not _CLAMP_TOKEN:
            raise UnscopedRead("ClampedScope comes only from services.access.clamp()")
        object.__setattr__(self, "town_code", town_code)
        object.__setattr__(self, "compound_id", compound_id)


def clamp(principal: Principal, requested: Scope) -> ClampedScope:
    """The part of ``requested`` that ``principal`` may read; refuses anything outside it."""
    if principal.role in ("admin", "county"):
        town, compound = requested.town_code, requested.compound_id
    elif principal.role == "town":
        if requested.town_code not in (None, principal.town_code):
            raise PermissionDenied("镇级账号只能查看本镇数据。")
        town, compound = principal.town_code, requested.compound_id
    elif principal.role == "secretary":
        if requested.compound_id not in (None, principal.compound_id):
            raise PermissionDenied("小区书记账号只能查看本小区数据。")
        town, compound = principal.town_code, principal.compound_id
    else:
        raise PermissionDenied("未知角色。")
    return ClampedScope(town, compound, _token=_CLAMP_TOKEN)


_COMPARED: ContextVar[list[ClampedScope] | None] = ContextVar("linli_compared", default=None)


def comparison_scope(requested: Scope) -> ClampedScope:
    """A wider scope a figure is compared against (the county behind a percentile, the town behind
    a secretary's anonymised rank). The function using it returns only ranks or aggregates of it.
    Inside ``noting_comparisons`` the scope is recorded, so a cache knows the figure depends on
    data beyond the scope it was asked for."""
    scope = ClampedScope(requested.town_code, requested.compound_id, _token=_CLAMP_TOKEN)
    noted = _COMPARED.get()
    if noted is not None:
        noted.append(scope)
    return scope


@contextmanager
def noting_comparisons() -> Iterator[list[ClampedScope]]:
    """Collect the comparison scopes the reads inside the block widen to."""
    noted: list[ClampedScope] = []
    reset = _COMPARED.set(noted)
    try:
        yield noted
    finally:
        _COMPARED.reset(reset)


P = ParamSpec("P")
R = TypeVar("R")


def scoped_read(function: Callable[P, R]) -> Callable[P, R]:
    """Mark ``function(engine, scope, …)`` as a read a page may make; it refuses an unclamped scope."""

    @functools.wraps(function)
    def checked(*args: P.args, **kwargs: P.kwargs) -> R:
        scope = args[1] if len(args) > 1 else kwargs.get("scope")
        if not isinstance(scope, ClampedScope):
            raise UnscopedRead(f"{function.__qualname__} needs a scope from services.access.clamp()")
        return function(*args, **kwargs)

    checked.scoped_read = True  # type: ignore[attr-defined]
    return checked


def is_scoped_read(function: object) -> bool:
    return getattr(function, "scoped_read", False) is True


def takes_deadline(function: Callable[..., Any]) -> bool:
    """Whether the figure depends on the reporting deadline (it has a ``deadline_day`` parameter)."""
    return "deadline_day" in inspect.signature(function).parameters


def read(engine: Any, principal: Principal, function: Callable[..., R], scope: Scope, *args: Any, **kwargs: Any) -> R:
    """``function(engine, clamp(principal, scope), …)``: a scoped read outside a page (CLI, tests)."""
    if not is_scoped_read(function):
        raise PermissionDenied(f"未开放的数据接口：{getattr(function, '__qualname__', function)}")
    return function(engine, clamp(principal, scope), *args, **kwargs)


def require_import(principal: Principal, compound_id: int) -> None:
    """Refuse unless ``principal`` may write ledgers for ``compound_id``."""
    if principal.role == "admin":
        return
    if principal.role == "secretary" and principal.compound_id == compound_id:
        return
    if principal.role == "secretary":
        raise PermissionDenied("只能上报本小区的台账，文件中的小区编码不属于您的小区。")
    raise PermissionDenied("该账号没有数据录入权限。")


def require_batch_import(principal: Principal, *, towns_allowed: bool) -> None:
    """Refuse unless ``principal`` may import one file of many compounds: administrators, and town
    officials when the ``batch_import_for_towns`` setting (``towns_allowed``) is on."""
    if principal.role == "admin":
        return
    if principal.role == "town" and towns_allowed and principal.town_code:
        return
    if principal.role == "secretary":
        raise PermissionDenied("批量导入只对管理员（及获准的镇级账号）开放；小区书记请在“数据上报”页上报本小区的台账。")
    if principal.role == "town":
        raise PermissionDenied("镇级账号的批量导入尚未开放，请联系系统管理员在“系统设置”中开启。")
    raise PermissionDenied("该账号没有数据录入权限。")


def require_batch_compound(principal: Principal, town_code: str) -> None:
    """Refuse a compound outside the batch importer's scope: a town official imports only their town."""
    if principal.role == "admin" or (principal.role == "town" and principal.town_code == town_code):
        return
    raise PermissionDenied("镇级账号只能导入本镇小区的台账。")


ALL_ROLES = frozenset({"admin", "county", "town", "secretary"})
OFFICIALS = frozenset({"admin", "county", "town"})
ADMIN = frozenset({"admin"})


@dataclass(frozen=True)
class PageSpec:
    """One page, declared once: navigation is built from this table, so a page a role may not
    open is not registered for that session and cannot be reached by URL."""

    id: str
    script: str
    icon: str
    section: str  # text key of its navigation section
    roles: frozenset[str] = ALL_ROLES
    switch: str | None = None  # a setting that, when on, opens the page to ``switch_roles`` as well
    switch_roles: frozenset[str] = frozenset()

    def roles_with(self, switches: frozenset[str] = frozenset()) -> frozenset[str]:
        """Who may open the page when the settings named in ``switches`` are on."""
        return self.roles | self.switch_roles if self.switch in switches else self.roles


PAGES: tuple[PageSpec, ...] = (
    PageSpec("my_month", "pages/my_month.py", ":material/task_alt:", "section.overview", frozenset({"secretary"})),
    PageSpec("inbox", "pages/inbox.py", ":material/inbox:", "section.overview"),
    PageSpec("overview", "pages/overview.py", ":material/dashboard:", "section.overview"),
    PageSpec("map", "pages/map.py", ":material/map:", "section.overview"),
    PageSpec("coverage", "pages/coverage.py", ":material/groups:", "section.themes"),
    PageSpec("activities", "pages/activities.py", ":material/volunteer_activism:", "section.themes"),
    PageSpec("cases", "pages/cases.py", ":material/forum:", "section.themes"),
    PageSpec("alerts", "pages/alerts.py", ":material/notification_important:", "section.overview"),
    PageSpec("orders", "pages/orders.py", ":material/assignment_turned_in:", "section.overview"),
    PageSpec("profile", "pages/profile.py", ":material/home_work:", "section.overview"),
    PageSpec("index", "pages/index.py", ":material/leaderboard:", "section.overview"),
    PageSpec("present", "pages/present.py", ":material/co_present:", "section.overview"),
    PageSpec("facilities", "pages/facilities.py", ":material/construction:", "section.themes"),
    PageSpec("votes", "pages/votes.py", ":material/how_to_vote:", "section.themes"),
    PageSpec("finance", "pages/finance.py", ":material/account_balance_wallet:", "section.themes"),
    PageSpec("property", "pages/property.py", ":material/handshake:", "section.themes"),
    PageSpec(
        "upload",
        "pages/upload.py",
        ":material/upload_file:",
        "section.data",
        frozenset({"admin", "secretary"}),
        switch="batch_import_for_towns",  # town officials come for the 批量导入 section
        switch_roles=frozenset({"town"}),
    ),
    PageSpec("reporting", "pages/reporting.py", ":material/fact_check:", "section.data"),
    PageSpec("review", "pages/review.py", ":material/approval:", "section.data", OFFICIALS),
    PageSpec("guide", "pages/guide.py", ":material/menu_book:", "section.data"),
    PageSpec("admin_users", "pages/admin_users.py", ":material/group:", "section.admin", ADMIN),
    PageSpec("admin_registry", "pages/admin_registry.py", ":material/apartment:", "section.admin", ADMIN),
    PageSpec("admin_settings", "pages/admin_settings.py", ":material/settings:", "section.admin", ADMIN),
    PageSpec("admin_audit", "pages/admin_audit.py", ":material/history:", "section.admin", ADMIN),
    PageSpec("account", "pages/account.py", ":material/person:", "section.admin"),
)
PAGE_ACCESS: dict[str, frozenset[str]] = {page.id: page.roles for page in PAGES}  # with every switch off
SWITCHES: frozenset[str] = frozenset(page.switch for page in PAGES if page.switch)


def home_page(principal: Principal) -> PageSpec:
    """The page a user lands on: a secretary's month, everyone else's overview."""
    return next(page for page in PAGES if page.id == ("my_month" if principal.role == "secretary" else "overview"))


def can_open(principal: Principal, page_id: str, switches: frozenset[str] = frozenset()) -> bool:
    return any(principal.role in page.roles_with(switches) for page in PAGES if page.id == page_id)


def pages_for(principal: Principal, switches: frozenset[str] = frozenset()) -> list[PageSpec]:
    """The pages ``principal`` may open; ``switches`` are the page settings that are on."""
    return [page for page in PAGES if principal.role in page.roles_with(switches)]
