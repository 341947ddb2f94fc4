"""CLI commands that belong to a feature (web server, feeds, batch jobs ...).

Each module here defines its commands with ``@app.command()`` on the shared app of
``tidings.cli_common`` and is imported below, so ``tidings --help`` lists them. Keep each
module thin: parse options, call the Python API, print.
"""

import tidings.commands.batch  # noqa: F401
import tidings.commands.cluster  # noqa: F401
import tidings.commands.db  # noqa: F401
import tidings.commands.quotes  # noqa: F401
import tidings.commands.runs  # noqa: F401
import tidings.commands.train  # noqa: F401
import tidings.commands.watch  # noqa: F401
from tidings.commands import serve  # noqa: F401
