"""The ``pulso`` console script: Django's management commands, with Pulso's listed first."""

from __future__ import annotations

import os
import sys

PULSO_COMMANDS = [
    ("demo", "Create the database, load demo data, create an admin and serve (--no-serve to skip)"),
    ("serve", "Run the production web server (gunicorn) [--host H] [--port P] [--workers N]"),
    ("worker", "Run the background worker that executes queued tasks and scheduled jobs"),
    ("migrate", "Create or update the database schema"),
    ("createadmin", "Create an administrator (or reset their password)"),
    ("unlock", "Unlock an account locked after repeated failed logins [--ip ADDRESS]"),
    ("oidc_discover", "Print the single sign-on endpoint variables of an OpenID provider (ISSUER)"),
    ("import_customers", "Import customers from CSV/XLSX (de-duplicated, per-row error report)"),
    ("import_feedback", "Import unsolicited feedback (reviews, posts, notes) from CSV/XLSX"),
    ("import_survey_history", "Import past survey answers from any survey tool's export"),
    ("import_undo", "Remove everything one survey-history import stored (RUN_ID)"),
    ("analyse_text", "Analyse comments: language, sentiment, topics (--pending, --all, --resume)"),
    ("train_sentiment", "Retrain the sentiment models from rated comments"),
    ("find_themes", "Find emerging themes in recent negative comments"),
    ("refresh_metrics", "Bring the pre-computed dashboard aggregates up to date"),
    ("export_customer", "Everything held about one customer as JSON (EXTERNAL_ID [-o FILE])"),
    ("erase_customer", "Erase a customer's personal data everywhere (EXTERNAL_ID), totals kept"),
    ("createsuperuser", "Django's interactive superuser creation"),
    ("shell", "Open a Python shell with Pulso loaded"),
]


def print_help() -> None:
    print("usage: pulso <command> [options]\n")
    print("Pulso — open-source customer-experience management.\n")
    print("Commands:")
    width = max(len(name) for name, _ in PULSO_COMMANDS)
    for name, summary in PULSO_COMMANDS:
        print(f"  {name.ljust(width)}  {summary}")
    print("\n'pulso <command> --help' shows a command's options; 'pulso help --all' lists every")
    print("Django management command available through pulso.")


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pulso.settings")
    if len(args) < 2 or args[1] in {"-h", "--help"}:
        print_help()
        return
    if args[1] == "help" and len(args) == 3 and args[2] == "--all":
        args = [args[0], "help"]
    from django.core.management import execute_from_command_line

    execute_from_command_line(["pulso", *args[1:]])


if __name__ == "__main__":
    main()
