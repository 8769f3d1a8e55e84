"""CLI command groups beyond ``db`` and ``demo``: each module here defines ``NAME`` (the group's name),
``HELP`` and ``app`` (a ``typer.Typer``); :mod:`app.cli` registers every one of them."""
