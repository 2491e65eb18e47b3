"""Production settings: refuse to start without a real secret, and pass Django's deploy checklist;
and the tests' own settings, which plain ``pytest`` loads.

Each production case runs manage.py in a fresh process, since settings are read once at start.
"""

import os
import secrets
import subprocess
import sys

import pytest
from django.conf import settings

MANAGE = settings.BASE_DIR / "manage.py"


def run_manage(*args, env_overrides, tmp_path):
    env = {
        key: value for key, value in os.environ.items() if key not in {"DEBUG", "SECRET_KEY", "DJANGO_SETTINGS_MODULE"}
    }
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
        # The documented set-up: a cache shared by the workers (nothing connects to it for a check).
        "REDIS_URL": "redis://127.0.0.1:6379/0",
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


def test_production_settings_carry_no_test_shortcuts(tmp_path):
    show = (
        "from django.conf import settings; "
        "print(settings.PASSWORD_HASHERS[0], settings.PAGE_CACHE_SECONDS, "
        "settings.REST_FRAMEWORK['DEFAULT_THROTTLE_RATES'], settings.STORAGES['staticfiles']['BACKEND'])"
    )
    # TESTING=1 once switched these; it must mean nothing to the site now.
    result = run_manage("shell", "-c", show, env_overrides=production_env(TESTING="1"), tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    shown = result.stdout.splitlines()[-1]
    assert shown.split(" ", 2)[:2] == ["django.contrib.auth.hashers.PBKDF2PasswordHasher", "300"]
    assert "{'anon': '120/minute', 'user': '1200/minute'}" in shown
    assert shown.endswith("whitenoise.storage.CompressedManifestStaticFilesStorage")


def test_the_suite_runs_with_the_fast_test_settings():
    assert settings.SETTINGS_MODULE == "lenrnews.settings_test"
    assert settings.PASSWORD_HASHERS == ["django.contrib.auth.hashers.MD5PasswordHasher"]
    assert settings.PAGE_CACHE_SECONDS == 0
    assert settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] == {"anon": "100000/minute", "user": "100000/minute"}
    assert settings.STORAGES["staticfiles"]["BACKEND"] == "django.contrib.staticfiles.storage.StaticFilesStorage"


def test_plain_pytest_loads_the_test_settings():
    """``pytest`` with nothing set in the environment (an IDE's runner, ``make test``) gets the settings above."""
    env = {key: value for key, value in os.environ.items() if key not in {"DJANGO_SETTINGS_MODULE", "TESTING"}}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", f"{__file__}::test_the_suite_runs_with_the_fast_test_settings", "-q"],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 passed" in result.stdout
