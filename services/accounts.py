"""Local accounts: Argon2id hashes, timing-safe login, lockout, password rules, administration.

Administration functions take the acting ``Principal`` and refuse non-administrators here, so a
page that forgets to hide a button still cannot change anything.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from dataclasses import dataclass

import pandas as pd
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Connection, Engine, select, update

from services import audit
from services.access import PermissionDenied, Principal
from services.db import write_transaction
from services.domain import ROLES
from services.models import Compound, Town, User, WebSession, table_of, utcnow

MAX_FAILURES = 5
LOCKOUT = dt.timedelta(minutes=15)
IDLE_TIMEOUT = dt.timedelta(minutes=30)
ABSOLUTE_LIFETIME = dt.timedelta(hours=12)
BEIJING_OFFSET = dt.timedelta(hours=8)  # times are stored in UTC; people read Beijing time
MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 128
USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{2,59}$")
COMMON_PASSWORDS = {
    "1234567890",
    "12345678910",
    "0123456789",
    "password123",
    "qwertyuiop",
    "1qaz2wsx3edc",
    "a123456789",
    "aaaaaaaaaa",
    "abc1234567",
    "woaini1314",
    "iloveyou12",
    "password12",
    "admin12345",
    "administrator",
}
DEMO_PASSWORD = "linli-demo"  # noqa: S105 - the documented demo-mode password, refused in production
DEMO_ACCOUNTS = (  # username, display name, role, town name, compound name
    ("demo-admin", "演示管理员", "admin", None, None),
    ("demo-county", "演示县级用户", "county", None, None),
    ("demo-town", "演示镇级用户", "town", "洪川镇", None),
    ("demo-secretary", "演示小区书记", "secretary", "洪川镇", "依云观邸"),
)
_OTP_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: read aloud and typed from paper

_hasher = PasswordHasher()  # Argon2id with the library's current recommended parameters
_dummy_hash: str | None = None


def _dummy() -> str:
    global _dummy_hash
    if _dummy_hash is None:
        _dummy_hash = _hasher.hash(secrets.token_hex(16))
    return _dummy_hash


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def password_problems(password: str, username: str = "") -> list[str]:
    """Rules people can live with: length, not the username, not a well-known password."""
    problems = []
    if len(password) < MIN_PASSWORD_LENGTH:
        problems.append(f"密码至少 {MIN_PASSWORD_LENGTH} 个字符（可以是一句好记的话）。")
    if len(password) > MAX_PASSWORD_LENGTH:
        problems.append(f"密码最多 {MAX_PASSWORD_LENGTH} 个字符。")
    if username and password.lower() == username.lower():
        problems.append("密码不能与用户名相同。")
    if password.lower() in COMMON_PASSWORDS or len(set(password)) <= 2 or password == DEMO_PASSWORD:
        problems.append("这个密码太常见，请换一个。")
    return problems


def one_time_password() -> str:
    raw = "".join(secrets.choice(_OTP_ALPHABET) for _ in range(12))
    return "-".join(raw[i : i + 4] for i in range(0, 12, 4))


def principal_of(user: User) -> Principal:
    return Principal(user.id, user.username, user.role, user.town_code, user.compound_id)


# ---- login ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class LoginResult:
    status: str  # ok / invalid / locked / disabled
    principal: Principal | None = None
    must_change_password: bool = False
    locked_until: dt.datetime | None = None

    @property
    def ok(self) -> bool:
        return self.status == "ok"


def authenticate(engine: Engine, username: str, password: str, *, now: dt.datetime | None = None) -> LoginResult:
    """Check a password. Unknown users cost the same hash verification as known ones."""
    now = now or utcnow()
    username = (username or "").strip().lower()
    with write_transaction(engine) as conn:
        user = conn.execute(select(User.__table__).where(User.username == username)).mappings().one_or_none()
        if user is None or user["password_hash"] is None:
            _verify(_dummy(), password)
            audit.record(conn, action="login.failure", username=username[:60], detail={"reason": "unknown"}, at=now)
            return LoginResult("invalid")
        if user["locked_until"] is not None and user["locked_until"] > now:
            _verify(_dummy(), password)
            audit.record(
                conn, action="login.failure", username=username, user_id=user["id"], detail={"reason": "locked"}, at=now
            )
            return LoginResult("locked", locked_until=user["locked_until"])
        good = _verify(user["password_hash"], password)
        if not good:
            failures = user["failed_logins"] + 1
            locked_until = now + LOCKOUT if failures >= MAX_FAILURES else None
            conn.execute(
                update(User).where(User.id == user["id"]).values(failed_logins=failures, locked_until=locked_until)
            )
            audit.record(
                conn,
                action="login.failure",
                username=username,
                user_id=user["id"],
                detail={"reason": "password", "failures": failures, "locked": bool(locked_until)},
                at=now,
            )
            return LoginResult("locked", locked_until=locked_until) if locked_until else LoginResult("invalid")
        if user["disabled"]:
            audit.record(
                conn,
                action="login.failure",
                username=username,
                user_id=user["id"],
                detail={"reason": "disabled"},
                at=now,
            )
            return LoginResult("disabled")
        values: dict[str, object] = {"failed_logins": 0, "locked_until": None, "last_login_at": now}
        if _hasher.check_needs_rehash(user["password_hash"]):
            values["password_hash"] = hash_password(password)
        conn.execute(update(User).where(User.id == user["id"]).values(**values))
        audit.record(conn, action="login.success", username=username, user_id=user["id"], at=now)
        principal = Principal(user["id"], user["username"], user["role"], user["town_code"], user["compound_id"])
        return LoginResult("ok", principal, must_change_password=bool(user["must_change_password"]))


def _verify(stored_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(stored_hash, password or "")
    except (VerificationError, InvalidHashError):
        return False


def authenticate_sso(engine: Engine, subject: str, *, now: dt.datetime | None = None) -> LoginResult:
    """An identity already verified by the OIDC provider, mapped to a local account by its subject.

    Unmapped identities are refused: the provider proves who someone is, the local account says
    what they may do."""
    now = now or utcnow()
    subject = (subject or "").strip()
    with write_transaction(engine) as conn:
        user = conn.execute(select(User.__table__).where(User.sso_subject == subject)).mappings().one_or_none()
        if not subject or user is None:
            audit.record(conn, action="login.failure", username=None, detail={"reason": "sso_unmapped"}, at=now)
            return LoginResult("invalid")
        if user["disabled"]:
            audit.record(
                conn,
                action="login.failure",
                username=user["username"],
                user_id=user["id"],
                detail={"reason": "disabled", "via": "sso"},
                at=now,
            )
            return LoginResult("disabled")
        conn.execute(update(User).where(User.id == user["id"]).values(last_login_at=now, failed_logins=0))
        audit.record(
            conn, action="login.success", username=user["username"], user_id=user["id"], detail={"via": "sso"}, at=now
        )
        principal = Principal(user["id"], user["username"], user["role"], user["town_code"], user["compound_id"])
        return LoginResult("ok", principal, must_change_password=False)


def link_sso(engine: Engine, actor: Principal, username: str, subject: str | None) -> None:
    """Attach (or, with None, detach) a single-sign-on subject to a local account."""
    _admin_update(engine, actor, username, "user.sso_linked", sso_subject=(subject or "").strip() or None)


def session_expired(started_at: dt.datetime, last_seen: dt.datetime, now: dt.datetime | None = None) -> bool:
    """Idle for longer than IDLE_TIMEOUT, or older than ABSOLUTE_LIFETIME."""
    now = now or utcnow()
    return now - last_seen > IDLE_TIMEOUT or now - started_at > ABSOLUTE_LIFETIME


def change_password(engine: Engine, principal: Principal, old: str, new: str) -> list[str]:
    """Change one's own password; returns the problems (empty on success)."""
    problems = password_problems(new, principal.username)
    with write_transaction(engine) as conn:
        user = conn.execute(select(User.__table__).where(User.id == principal.user_id)).mappings().one()
        if not _verify(user["password_hash"], old):
            problems.insert(0, "当前密码不正确。")
        elif new == old:
            problems.append("新密码不能与当前密码相同。")
        if problems:
            return problems
        conn.execute(
            update(User)
            .where(User.id == principal.user_id)
            .values(password_hash=hash_password(new), must_change_password=False)
        )
        audit.record(
            conn,
            action="user.password_changed",
            username=principal.username,
            user_id=principal.user_id,
            target=principal.username,
        )
    return []


# ---- administration ------------------------------------------------------------------------


def _require_admin(actor: Principal) -> None:
    if actor.role != "admin":
        raise PermissionDenied("只有系统管理员可以管理账号。")


def _resolve_scope_ids(conn: Connection, role: str, town: str | None, compound_code: str | None):
    town_code = compound_id = None
    if role == "town":
        town_code = conn.execute(select(Town.code).where((Town.code == town) | (Town.name == town))).scalar()
        if town_code is None:
            raise ValueError(f"镇级账号需要有效的所属镇：{town!r}")
    if role == "secretary":
        row = conn.execute(select(Compound.id, Compound.town_code).where(Compound.code == compound_code)).one_or_none()
        if row is None:
            raise ValueError(f"小区书记账号需要有效的小区编码：{compound_code!r}")
        compound_id, town_code = row
    return town_code, compound_id


def create_user(
    engine: Engine,
    actor: Principal,
    *,
    username: str,
    display_name: str,
    role: str,
    town: str | None = None,
    compound_code: str | None = None,
    work_phone: str | None = None,
    password: str | None = None,
    is_demo: bool = False,
    must_change: bool = True,
) -> str:
    """Create an account; returns the initial password (a one-time one unless given)."""
    _require_admin(actor)
    username = username.strip().lower()
    if not USERNAME_RE.match(username):
        raise ValueError("用户名为 3–60 个小写字母、数字或 . _ -，以字母或数字开头。")
    if role not in ROLES:
        raise ValueError(f"未知角色：{role}")
    initial = password or one_time_password()
    with write_transaction(engine) as conn:
        if conn.execute(select(User.id).where(User.username == username)).scalar() is not None:
            raise ValueError(f"用户名已存在：{username}")
        town_code, compound_id = _resolve_scope_ids(conn, role, town, compound_code)
        conn.execute(
            table_of(User)
            .insert()
            .values(
                username=username,
                display_name=display_name.strip(),
                role=role,
                town_code=town_code,
                compound_id=compound_id,
                work_phone=(work_phone or "").strip() or None,
                password_hash=hash_password(initial),
                must_change_password=must_change,
                is_demo=is_demo,
                failed_logins=0,
                disabled=False,
                created_at=utcnow(),
            )
        )
        audit.record(
            conn,
            action="user.created",
            username=actor.username,
            user_id=actor.user_id,
            target=username,
            detail={
                "after": {
                    "role": role,
                    "town_code": town_code,
                    "compound_id": compound_id,
                    "display_name": display_name,
                }
            },
        )
    return initial


def _admin_update(engine: Engine, actor: Principal, username: str, action: str, **values) -> None:
    _require_admin(actor)
    with write_transaction(engine) as conn:
        before = conn.execute(select(User.__table__).where(User.username == username)).mappings().one_or_none()
        if before is None:
            raise ValueError(f"没有这个用户：{username}")
        conn.execute(update(User).where(User.username == username).values(**values))
        if values.get("disabled") or "password_hash" in values:  # end that user's open sessions at once
            conn.execute(
                update(WebSession)
                .where(WebSession.user_id == before["id"])
                .values(revoked=True, token_hash=None, handoff_hash=None)
            )
        shown = {k: v for k, v in values.items() if k != "password_hash"}
        audit.record(
            conn,
            action=action,
            username=actor.username,
            user_id=actor.user_id,
            target=username,
            detail={"before": {k: _plain(before[k]) for k in shown}, "after": {k: _plain(v) for k, v in shown.items()}},
        )


def _plain(value):
    return value.isoformat() if isinstance(value, dt.datetime) else value


def set_disabled(engine: Engine, actor: Principal, username: str, disabled: bool) -> None:
    if actor.username == username and disabled:
        raise ValueError("不能停用自己的账号。")
    _admin_update(engine, actor, username, "user.disabled" if disabled else "user.enabled", disabled=disabled)


def unlock(engine: Engine, actor: Principal, username: str) -> None:
    _admin_update(engine, actor, username, "user.unlocked", failed_logins=0, locked_until=None)


def reset_password(engine: Engine, actor: Principal, username: str) -> str:
    """Give the user a new one-time password that must be changed at the next login."""
    otp = one_time_password()
    _admin_update(
        engine,
        actor,
        username,
        "user.password_reset",
        password_hash=hash_password(otp),
        must_change_password=True,
        failed_logins=0,
        locked_until=None,
    )
    return otp


def list_users(engine: Engine, actor: Principal) -> pd.DataFrame:
    _require_admin(actor)
    u = User
    stmt = (
        select(
            u.username,
            u.display_name,
            u.role,
            Town.name.label("town"),
            Compound.name.label("compound"),
            u.work_phone,
            u.disabled,
            u.locked_until,
            u.failed_logins,
            u.must_change_password,
            u.last_login_at,
            u.is_demo,
        )
        .outerjoin(Town, Town.code == u.town_code)
        .outerjoin(Compound, Compound.id == u.compound_id)
        .order_by(u.role, u.username)
    )
    with engine.connect() as conn:
        return pd.DataFrame(conn.execute(stmt).mappings().all())


def bulk_create_secretaries(engine: Engine, actor: Principal, *, town_code: str | None = None) -> pd.DataFrame:
    """One secretary account per compound that has none yet, each with a one-time password."""
    _require_admin(actor)
    with engine.connect() as conn:
        stmt = select(Compound.code, Compound.name).where(
            Compound.active.is_(True), Compound.id.not_in(select(User.compound_id).where(User.compound_id.is_not(None)))
        )
        if town_code:
            stmt = stmt.where(Compound.town_code == town_code)
        compounds = conn.execute(stmt.order_by(Compound.code)).all()
    created = []
    for code, name in compounds:
        username = f"sj{code}"
        otp = create_user(
            engine, actor, username=username, display_name=f"{name}书记", role="secretary", compound_code=code
        )
        created.append({"username": username, "compound_code": code, "compound": name, "one_time_password": otp})
    return pd.DataFrame(created, columns=["username", "compound_code", "compound", "one_time_password"])


def find_principal(engine: Engine, username: str) -> Principal | None:
    with engine.connect() as conn:
        user = conn.execute(select(User).where(User.username == username.strip().lower())).scalar_one_or_none()
        return None if user is None or user.disabled else principal_of(user)


# ---- demo mode -----------------------------------------------------------------------------


def ensure_demo_accounts(engine: Engine) -> list[str]:
    """Create the four demo accounts (password linli-demo) that do not exist yet."""
    from services.access import SYSTEM

    made = []
    with engine.connect() as conn:
        existing = set(conn.execute(select(User.username)).scalars())
        codes = dict(conn.execute(select(Compound.name, Compound.code)).all())
    for username, name, role, town, compound in DEMO_ACCOUNTS:
        if username in existing or (compound and compound not in codes):
            continue
        create_user(
            engine,
            SYSTEM,
            username=username,
            display_name=name,
            role=role,
            town=town,
            compound_code=codes.get(compound) if compound else None,
            work_phone="028-0000000",
            password=DEMO_PASSWORD,
            is_demo=True,
            must_change=False,
        )
        made.append(username)
    return made


def seed_demo_secretary_contacts(engine: Engine) -> int:
    """Give every demo compound without a secretary a contact entry (name, work phone) that cannot
    log in (no password). The numbers use the impossible 028-0000 prefix: clearly not real."""
    with engine.connect() as conn:
        taken = set(conn.execute(select(User.compound_id).where(User.compound_id.is_not(None))).scalars())
        compounds = conn.execute(
            select(Compound.id, Compound.code, Compound.name, Compound.town_code).order_by(Compound.code)
        ).all()
    now = utcnow()
    rows = [
        {
            "username": f"sj{code}",
            "display_name": f"{name}支部书记",
            "work_phone": f"028-0000{i % 10000:04d}",
            "role": "secretary",
            "town_code": town,
            "compound_id": cid,
            "password_hash": None,
            "must_change_password": True,
            "failed_logins": 0,
            "disabled": True,
            "is_demo": True,
            "created_at": now,
        }
        for i, (cid, code, name, town) in enumerate(compounds, start=1)
        if cid not in taken
    ]
    if rows:
        with write_transaction(engine) as conn:
            conn.execute(table_of(User).insert(), rows)
    return len(rows)


def demo_accounts_exist(engine: Engine) -> bool:
    """True while any demo account could still log in (enabled, or holding a password)."""
    usable = (User.disabled.is_(False)) | (User.password_hash.is_not(None))
    with engine.connect() as conn:
        return conn.execute(select(User.id).where(User.is_demo.is_(True), usable).limit(1)).scalar() is not None


def retire_demo_accounts(engine: Engine, actor: Principal) -> list[str]:
    """Disable every demo account and erase its password (rows stay: the audit log refers to them)."""
    _require_admin(actor)
    with engine.connect() as conn:
        names = list(conn.execute(select(User.username).where(User.is_demo.is_(True))).scalars())
    for name in names:
        _admin_update(engine, actor, name, "user.demo_retired", disabled=True, password_hash=None)
    return names


def contacts(engine: Engine, compound_ids: list[int]) -> pd.DataFrame:
    """Secretaries' names and work phones per compound (for officials chasing missing reports).

    Disabled accounts still name the compound's secretary; a compound may list several."""
    if not compound_ids:
        return pd.DataFrame(columns=["compound_id", "display_name", "work_phone"])
    stmt = (
        select(User.compound_id, User.display_name, User.work_phone)
        .where(User.role == "secretary", User.compound_id.in_(compound_ids))
        .order_by(User.compound_id, User.disabled, User.username)
    )
    with engine.connect() as conn:
        return pd.DataFrame(conn.execute(stmt).mappings().all(), columns=["compound_id", "display_name", "work_phone"])
