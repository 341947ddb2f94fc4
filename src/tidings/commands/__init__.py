"""CLI commands that belong to a feature (web server, feeds, batch jobs ...).

Each module here defines its commands with ``@app.command()`` on ``tidings.cli.app`` and
is imported below, so ``tidings --help`` lists them. Keep each module thin: parse options,
call the Python API, print.
"""
