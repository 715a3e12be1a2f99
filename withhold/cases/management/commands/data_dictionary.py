import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from withhold.cases.dictionary import data_dictionary_markdown


class Command(BaseCommand):
    help = "Write docs/data-dictionary.md from the models (or --check that it is up to date)."

    def add_arguments(self, parser):
        parser.add_argument("--output", default="docs/data-dictionary.md")
        parser.add_argument("--check", action="store_true", help="Fail if the file is stale.")

    def handle(self, *args, output: str, check: bool, **options):
        text = data_dictionary_markdown()
        path = Path(output)
        if check:
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                raise CommandError(f"{path} is stale: run `make docs`.")
            self.stdout.write(f"{path} is up to date.")
            return
        if output == "-":
            sys.stdout.write(text)
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        self.stdout.write(f"Wrote {path}.")
