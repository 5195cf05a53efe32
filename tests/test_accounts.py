"""Accounts: Argon2id, lockout stored in the database, password rules, admin-only changes, audit."""

import datetime as dt

import pytest
from sqlalchemy import select, text

from services import accounts, audit
from services.access import SYSTEM, PermissionDenied, Principal
from services.models import AuditEntry, User
from tests import fixture_county

GOOD = "a long enough sentence"


@pytest.fixture
def county(engine):
    fixture_county.load(engine)
    return engine


def _user(engine, username):
    with engine.connect() as conn:
        return conn.execute(select(User.__table__).where(User.username == username)).mappings().one()


def test_passwords_are_stored_as_argon2id_and_verify(county):
    accounts.create_user(county, SYSTEM, username="wang", display_name="王", role="county", password=GOOD)
    stored = _user(county, "wang")["password_hash"]
    assert stored.startswith("$argon2id$") and GOOD not in stored
    assert accounts.authenticate(county, "wang", GOOD).ok
    assert accounts.authenticate(county, "WANG ", GOOD).ok  # usernames are case- and space-insensitive
    assert not accounts.authenticate(county, "wang", GOOD + "x").ok


def test_unknown_user_costs_a_hash_verification(county, monkeypatch):
    calls = []
    real = accounts._verify
    monkeypatch.setattr(accounts, "_verify", lambda h, p: calls.append(h) or real(h, p))
    assert accounts.authenticate(county, "nobody", "whatever").status == "invalid"
    assert len(calls) == 1 and calls[0].startswith("$argon2id$")


def test_lockout_after_five_failures_and_admin_unlock(county):
    accounts.create_user(county, SYSTEM, username="lisi", display_name="李", role="town", town="洪川镇", password=GOOD)
    t0 = dt.datetime(2026, 1, 1, 8, 0)
    statuses = [accounts.authenticate(county, "lisi", "wrong", now=t0).status for _ in range(5)]
    assert statuses == ["invalid"] * 4 + ["locked"]
    # the right password does not help while locked
    assert accounts.authenticate(county, "lisi", GOOD, now=t0 + dt.timedelta(minutes=1)).status == "locked"
    assert _user(county, "lisi")["failed_logins"] == 5
    accounts.unlock(county, SYSTEM, "lisi")
    assert accounts.authenticate(county, "lisi", GOOD, now=t0 + dt.timedelta(minutes=2)).ok
    # and the lock also ends by itself after the lockout period
    for _ in range(5):
        accounts.authenticate(county, "lisi", "wrong", now=t0)
    assert accounts.authenticate(county, "lisi", GOOD, now=t0 + accounts.LOCKOUT + dt.timedelta(seconds=1)).ok


def test_disabled_accounts_cannot_log_in(county):
    accounts.create_user(county, SYSTEM, username="zhao", display_name="赵", role="county", password=GOOD)
    accounts.set_disabled(county, SYSTEM, "zhao", True)
    assert accounts.authenticate(county, "zhao", GOOD).status == "disabled"


def test_password_rules_are_about_length_not_composition():
    assert accounts.password_problems("short") != []
    assert accounts.password_problems("1234567890") != []  # well known
    assert accounts.password_problems("zhangsan12", "zhangsan12") != []
    assert accounts.password_problems("all lower case words") == []


def test_first_login_must_change_password_then_can(county):
    otp = accounts.create_user(county, SYSTEM, username="sun", display_name="孙", role="county")
    result = accounts.authenticate(county, "sun", otp)
    assert result.ok and result.must_change_password
    assert accounts.change_password(county, result.principal, "wrong", GOOD) == ["当前密码不正确。"]
    assert accounts.change_password(county, result.principal, otp, "short") != []
    assert accounts.change_password(county, result.principal, otp, GOOD) == []
    again = accounts.authenticate(county, "sun", GOOD)
    assert again.ok and not again.must_change_password


@pytest.mark.parametrize("role", ["county", "town", "secretary"])
def test_only_administrators_manage_accounts(county, role):
    actor = Principal(99, "someone", role, "511423112", 1)
    with pytest.raises(PermissionDenied):
        accounts.create_user(county, actor, username="x-user", display_name="x", role="county")
    with pytest.raises(PermissionDenied):
        accounts.list_users(county, actor)
    with pytest.raises(PermissionDenied):
        accounts.reset_password(county, actor, "x-user")
    with pytest.raises(PermissionDenied):
        audit.entries(county, actor)


def test_scoped_accounts_need_a_valid_scope(county):
    with pytest.raises(ValueError, match="所属镇"):
        accounts.create_user(county, SYSTEM, username="town1", display_name="t", role="town", town="三宝镇")
    with pytest.raises(ValueError, match="小区编码"):
        accounts.create_user(county, SYSTEM, username="sec1", display_name="s", role="secretary", compound_code="999")
    accounts.create_user(
        county, SYSTEM, username="sec2", display_name="s", role="secretary", compound_code="511423101001", password=GOOD
    )
    principal = accounts.authenticate(county, "sec2", GOOD).principal
    assert (principal.compound_id, principal.town_code) == (3, "511423101")


def test_bulk_secretaries_get_distinct_one_time_passwords(county):
    created = accounts.bulk_create_secretaries(county, SYSTEM, town_code="511423112")
    assert list(created["compound_code"]) == ["511423112001", "511423112002"]
    assert created["one_time_password"].nunique() == 2
    again = accounts.bulk_create_secretaries(county, SYSTEM)
    assert list(again["compound_code"]) == ["511423101001"]  # the others already have one
    row = created.iloc[0]
    result = accounts.authenticate(county, row["username"], row["one_time_password"])
    assert result.ok and result.must_change_password


def test_audit_log_records_logins_and_changes_but_never_passwords(county):
    otp = accounts.create_user(county, SYSTEM, username="zhou", display_name="周", role="county")
    accounts.authenticate(county, "zhou", "not the password")
    accounts.authenticate(county, "zhou", otp)
    reset = accounts.reset_password(county, SYSTEM, "zhou")
    log = audit.entries(county, SYSTEM)
    assert {"user.created", "login.failure", "login.success", "user.password_reset"} <= set(log["action"])
    with county.connect() as conn:
        dump = " ".join(str(r) for r in conn.execute(select(AuditEntry.__table__)).all())
    assert otp not in dump and reset not in dump and "not the password" not in dump and "$argon2" not in dump


def test_audit_log_is_append_only(county):
    accounts.create_user(county, SYSTEM, username="wuyi", display_name="吴", role="county", password=GOOD)
    for statement in ("UPDATE audit_log SET action = 'x'", "DELETE FROM audit_log"):
        with pytest.raises(Exception, match="append-only"), county.begin() as conn:
            conn.execute(text(statement))


def test_demo_accounts_and_their_retirement(county):
    from services.db import write_transaction
    from services.models import Compound

    with write_transaction(county) as conn:  # the demo secretary belongs to 依云观邸
        conn.execute(
            Compound.__table__.insert().values(
                id=50, code="511423112050", name="依云观邸", town_code="511423112", households=300
            )
        )
    made = accounts.ensure_demo_accounts(county)
    assert made == ["demo-admin", "demo-county", "demo-town", "demo-secretary"]
    assert accounts.authenticate(county, "demo-secretary", accounts.DEMO_PASSWORD).principal.compound_id == 50
    assert accounts.demo_accounts_exist(county)
    accounts.retire_demo_accounts(county, SYSTEM)
    assert not accounts.demo_accounts_exist(county)
    assert accounts.authenticate(county, "demo-admin", accounts.DEMO_PASSWORD).status != "ok"


def test_session_lifetime_rules():
    start = dt.datetime(2026, 1, 1, 8)
    assert not accounts.session_expired(start, start + dt.timedelta(minutes=20), start + dt.timedelta(minutes=40))
    assert accounts.session_expired(start, start, start + accounts.IDLE_TIMEOUT + dt.timedelta(seconds=1))
    busy = start + accounts.ABSOLUTE_LIFETIME + dt.timedelta(minutes=1)
    assert accounts.session_expired(start, busy - dt.timedelta(minutes=1), busy)


def test_single_sign_on_maps_only_linked_subjects(county):
    accounts.create_user(county, SYSTEM, username="sso-user", display_name="s", role="county", password=GOOD)
    assert accounts.authenticate_sso(county, "idp|123").status == "invalid"  # not linked yet
    accounts.link_sso(county, SYSTEM, "sso-user", "idp|123")
    result = accounts.authenticate_sso(county, "idp|123")
    assert result.ok and result.principal.username == "sso-user"
    assert accounts.authenticate_sso(county, "").status == "invalid"
    accounts.set_disabled(county, SYSTEM, "sso-user", True)
    assert accounts.authenticate_sso(county, "idp|123").status == "disabled"
    with pytest.raises(PermissionDenied):
        accounts.link_sso(county, Principal(5, "t", "county"), "sso-user", "idp|999")


def test_oidc_is_configured_only_by_an_auth_section(tmp_path):
    from services.config import load_settings

    secrets = tmp_path / "secrets.toml"
    assert not load_settings({}, secrets).oidc
    secrets.write_text('[auth]\nredirect_uri = "http://x/oauth2callback"\nclient_id = "linli"\n', encoding="utf-8")
    assert load_settings({}, secrets).oidc
