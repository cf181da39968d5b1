"""``python -m pulso``: the same as the ``pulso`` command."""

from pulso.cli import main

if __name__ == "__main__":
    main()
