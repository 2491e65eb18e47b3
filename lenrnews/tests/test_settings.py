"""Production settings: refuse to start without a real secret, and pass Django's deploy checklist.

Each case runs manage.py in a fresh process, since settings are read once at start.
"""

import os
import secrets
import subprocess
import sys

import pytest
from django.conf import settings

MANAGE = settings.BASE_DIR / "manage.py"


def run_manage(*args, env_overrides, tmp_path):
    env = {key: value for key, value in os.environ.items() if key not in {"DEBUG", "SECRET_KEY", "TESTING"}}
    env.update({"DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}", **env_overrides})
    return subprocess.run(
        [sys.executable, str(MANAGE), *args],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
    )


def production_env(**overrides):
    return {
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "lenrnews.example.org",
        **overrides,
    }


def test_deploy_check_is_clean_under_production_settings(tmp_path):
    args = ["check", "--deploy", "--fail-level", "WARNING"]
    result = run_manage(*args, env_overrides=production_env(), tmp_path=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
    assert "WARNING" not in result.stderr


@pytest.mark.skipif((settings.BASE_DIR / ".env").exists(), reason="a local .env may provide SECRET_KEY")
def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    env = production_env()
    del env["SECRET_KEY"]
    result = run_manage("check", env_overrides=env, tmp_path=tmp_path)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


@pytest.mark.parametrize("secret_key", ["", "too-short", settings.DEV_SECRET_KEY])
def test_production_refuses_a_weak_secret_key(tmp_path, secret_key):
    result = run_manage("check", env_overrides=production_env(SECRET_KEY=secret_key), tmp_path=tmp_path)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_debug_on_a_public_host_is_refused(tmp_path):
    result = run_manage("check", env_overrides=production_env(DEBUG="1"), tmp_path=tmp_path)
    assert result.returncode != 0
    assert "DEBUG must be off" in result.stderr
