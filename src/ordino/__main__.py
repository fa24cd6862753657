"""``python -m ordino`` is the ``ordino`` command."""

from ordino.cli.main import main

if __name__ == "__main__":
    main()
