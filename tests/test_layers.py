"""scripts/check_layers.py: passes on Pulso's code, fails on planted cycles and upward imports."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

CHECKER = Path(__file__).parents[1] / "scripts" / "check_layers.py"


def check(root: Path | None = None) -> subprocess.CompletedProcess[str]:
    args = [sys.executable, str(CHECKER), *([str(root)] if root else [])]
    return subprocess.run(args, capture_output=True, text=True, check=False)


def plant(tmp_path: Path, files: dict[str, str]) -> Path:
    """A package ``pulso`` under tmp_path holding ``files`` (path → source), packages included."""
    root = tmp_path / "pulso"
    for name, source in {"__init__.py": "", **files}.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        for package in [path.parent, *path.parent.parents]:
            if package == tmp_path:
                break
            (package / "__init__.py").touch()
        path.write_text(source)
    return root


def test_pulso_has_layers_and_no_cycles() -> None:
    result = check()
    assert result.returncode == 0, result.stdout
    assert result.stdout.startswith("layers OK: ")
    assert "no cycles, core imports no domain app" in result.stdout


def test_a_layered_tree_passes(tmp_path: Path) -> None:
    root = plant(
        tmp_path,
        {
            "lib/stats.py": "",
            "core/audit.py": "from pulso.lib import stats\n",
            "surveys/models.py": "from pulso.feedback.models import FeedbackItem\n",
            "feedback/models.py": '"""Read by pulso.surveys.models: prose, no import."""\n',
            "feedback/migrations/0002_backfill.py": "from pulso.surveys.models import Response\n",
            "settings.py": 'INSTALLED_APPS = ["pulso.core", "pulso.surveys"]\n',
        },
    )
    result = check(root)
    assert result.returncode == 0, result.stdout
    assert "layers OK: 2 app-to-app edges" in result.stdout


def test_a_module_level_cycle_fails_with_both_edges(tmp_path: Path) -> None:
    root = plant(
        tmp_path,
        {
            "surveys/models.py": "from pulso.feedback.models import FeedbackItem\n",
            "feedback/models.py": "import os\n\nfrom pulso.surveys.models import Response\n",
        },
    )
    result = check(root)
    assert result.returncode == 1
    assert "cycle: feedback, surveys import each other" in result.stdout
    assert "feedback -> surveys  " in result.stdout
    assert "pulso/feedback/models.py:3 (import)" in result.stdout
    assert "pulso/surveys/models.py:1 (import)" in result.stdout
    assert "layer: feedback (layer 3) imports surveys (layer 3)" in result.stdout


def test_a_cycle_through_an_import_inside_a_function_fails(tmp_path: Path) -> None:
    root = plant(
        tmp_path,
        {
            "metrics/aggregates.py": "from pulso.textanalytics.models import TextAnalysis\n",
            "textanalytics/jobs.py": (
                "def refresh() -> None:\n"
                "    from pulso.metrics.aggregates import rebuild_all\n"
                "    rebuild_all()\n"
            ),
        },
    )
    result = check(root)
    assert result.returncode == 1
    assert "cycle: metrics, textanalytics import each other" in result.stdout
    assert "pulso/textanalytics/jobs.py:2 (import inside a function)" in result.stdout


@pytest.mark.parametrize(
    "source",
    [
        'import importlib\n\nmodule = importlib.import_module("pulso.loop.rules")\n',
        'JOBS = {"rules": "pulso.loop.jobs.apply_rules"}\n',
        'from django.urls import include\n\npatterns = [include("pulso.loop.urls")]\n',
        "from typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n    from pulso.loop import rules\n",
        "from ..loop import rules\n",
    ],
    ids=["importlib", "dotted-path", "include", "type-checking", "relative"],
)
def test_a_cycle_through_a_string_or_hidden_import_fails(tmp_path: Path, source: str) -> None:
    root = plant(
        tmp_path,
        {
            "loop/rules.py": "from pulso.metrics import aggregates\n",
            "metrics/aggregates.py": source,
        },
    )
    result = check(root)
    assert result.returncode == 1
    assert "cycle: loop, metrics import each other" in result.stdout
    assert "metrics -> loop  " in result.stdout and "pulso/metrics/aggregates.py:" in result.stdout


def test_the_base_app_importing_a_domain_app_fails(tmp_path: Path) -> None:
    root = plant(
        tmp_path,
        {
            "core/home.py": "def summary() -> None:\n    from pulso.loop.models import Case\n",
            "loop/models.py": "",
        },
    )
    result = check(root)
    assert result.returncode == 1
    assert "cycle:" not in result.stdout
    assert "layer: the base app core imports loop" in result.stdout
    assert "pulso/core/home.py:2 (import inside a function)" in result.stdout


def test_the_base_app_may_not_import_accounts_nor_an_app_name_a_project_module(
    tmp_path: Path,
) -> None:
    root = plant(
        tmp_path,
        {
            "core/audit.py": "from pulso.accounts.models import User\n",
            "accounts/models.py": "",
            "demo/run.py": 'WORKER = ["-m", "pulso.cli", "worker"]\n',
            "cli.py": "",
        },
    )
    result = check(root).stdout
    assert "layer: the base app core imports accounts" in result
    assert "layer: demo imports the project-level module cli" in result


def test_an_import_up_the_layer_table_or_an_unplaced_app_fails(tmp_path: Path) -> None:
    root = plant(
        tmp_path,
        {
            "journeys/models.py": "from pulso.customers.models import Customer\n",
            "customers/models.py": "",
            "mentions/models.py": "from pulso.feedback.models import FeedbackItem\n",
        },
    )
    result = check(root).stdout
    assert "layer: journeys (layer 2) imports customers (layer 2)" in result
    assert "layer: mentions has no layer in LAYERS" in result
