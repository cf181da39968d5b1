"""Deployment: the documented production settings pass `check --deploy`, `pulso serve` refuses
an unsafe configuration or an unmigrated database, and `python -m pulso` works."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.core.management.base import CommandError

from pulso.core.server import configuration_problems, weak_secret_key

ROOT = Path(__file__).resolve().parents[2]
DEPLOYMENT_DOC = ROOT / "docs" / "deployment.md"
SHOW_SECURITY_SETTINGS = (
    "from django.conf import settings as s; print('SETTINGS', s.SILENCED_SYSTEM_CHECKS, "
    "s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS)"
)
STRONG_KEY = "k3Y-" + "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUV"


def documented_production_env() -> dict[str, str]:
    """The variables of the block between the production-settings markers of the doc."""
    text = DEPLOYMENT_DOC.read_text()
    block = re.search(r"<!-- production-settings -->(.*?)<!-- /production-settings -->", text, re.S)
    assert block is not None, "docs/deployment.md lost its production-settings block"
    env = {}
    for line in block.group(1).splitlines():
        if line.startswith("export "):
            name, _, value = line.removeprefix("export ").partition("=")
            env[name] = shlex.split(value)[0]
    return env


def pulso(
    args: list[str], env: dict[str, str], timeout: int = 120
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pulso", *args],
        env=env, cwd=ROOT, capture_output=True, text=True, timeout=timeout, check=False,
    )  # fmt: skip


def clean_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """The test's environment without Pulso's variables, a data dir of its own, and ``extra``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PULSO_", "SECURE_"))}
    for name in [
        "DATABASE_URL",
        "ALLOWED_HOSTS",
        "SECRET_KEY",
        "REDIS_URL",
        "CSRF_TRUSTED_ORIGINS",
        "DJANGO_ALLOW_ASYNC_UNSAFE",  # set by the browser tests; a deployment check refuses it
    ]:
        env.pop(name, None)
    return env | {"PULSO_DATA_DIR": str(tmp_path / "data")} | extra


def test_the_documented_production_settings_pass_check_deploy_with_nothing_silenced(
    tmp_path: Path,
) -> None:
    env = clean_env(tmp_path, **documented_production_env())
    env["PULSO_DATA_DIR"] = str(tmp_path / "data")  # the doc's /var/lib/pulso is not writable
    done = pulso(["check", "--deploy", "--fail-level", "WARNING"], env)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "System check identified no issues (0 silenced)." in done.stdout
    shown = pulso(["shell", "-c", SHOW_SECURITY_SETTINGS], env)
    assert shown.stdout.split("SETTINGS")[-1].split() == ["[]", "True", "True", "31536000"]


def test_over_plain_http_cookies_are_not_secure_and_check_deploy_says_so(tmp_path: Path) -> None:
    env = clean_env(tmp_path, PULSO_BASE_URL="http://cx.example.com", SECRET_KEY=STRONG_KEY)
    done = pulso(["check", "--deploy", "--fail-level", "WARNING"], env)
    assert done.returncode != 0
    for warning in ["security.W004", "security.W012", "security.W016"]:
        assert warning in done.stderr + done.stdout


@pytest.mark.parametrize(
    ("key", "weak"),
    [
        ("short", True),
        ("a" * 60, True),
        ("django-insecure-" + STRONG_KEY, True),
        (STRONG_KEY, False),
    ],
)
def test_weak_secret_keys(key: str, weak: bool) -> None:
    assert weak_secret_key(key) is weak


def test_serve_refuses_any_host_unless_explicitly_allowed(settings: Any) -> None:
    settings.SECRET_KEY = STRONG_KEY
    settings.ALLOWED_HOSTS = ["*"]
    settings.PULSO_ALLOW_ANY_HOST = False
    with pytest.raises(CommandError, match="ALLOWED_HOSTS is '\\*'"):
        call_command("serve")
    settings.PULSO_ALLOW_ANY_HOST = True
    assert configuration_problems() == []


def test_serve_refuses_a_weak_secret_key(settings: Any) -> None:
    settings.SECRET_KEY = "secret"
    with pytest.raises(CommandError, match="SECRET_KEY is weak"):
        call_command("serve")


def test_default_hosts_are_the_base_url_s_and_loopback_never_any() -> None:
    assert "*" not in django_settings.ALLOWED_HOSTS
    assert {"127.0.0.1", "localhost"} <= set(django_settings.ALLOWED_HOSTS)


def test_serve_on_an_unmigrated_database_says_to_migrate(tmp_path: Path) -> None:
    done = pulso(["serve", "--port", "0"], clean_env(tmp_path))
    assert done.returncode != 0
    assert "pulso migrate" in done.stderr and "pulso serve --migrate" in done.stderr
    assert "missing" in done.stderr


def test_python_dash_m_pulso_lists_the_commands(tmp_path: Path) -> None:
    done = pulso(["--help"], clean_env(tmp_path))
    assert done.returncode == 0, done.stderr
    assert "  serve " in done.stdout and "  worker " in done.stdout
