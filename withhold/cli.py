"""The ``withhold`` console script: Django's management commands under one name.

``withhold serve`` runs the development server on 127.0.0.1:8000, and without a broker the
scheduled jobs too (``operations/management/commands/serve.py``); every other word is passed to
Django (``withhold migrate``, ``withhold load-reference``, ``withhold load-demo`` ...). Dashes and
underscores are interchangeable in command names.
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "withhold.settings.local")
    if len(argv) > 1:
        command = argv[1]
        if command == "serve":
            argv[1:2] = ["serve", "--noreload"] if "--reload" not in argv else ["serve"]
            argv = [a for a in argv if a != "--reload"]
            if not any(":" in a or a.isdigit() for a in argv[2:]):
                argv.append("127.0.0.1:8000")
        elif not command.startswith("-"):
            argv[1] = command.replace("-", "_")
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
