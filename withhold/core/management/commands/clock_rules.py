from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from withhold.core.clocks import rule_table_markdown

START, END = "<!-- clock-rules:start -->\n", "<!-- clock-rules:end -->"


class Command(BaseCommand):
    help = "Write the clock engine's rule table into docs/deadlines.md (or --check it)."

    def add_arguments(self, parser):
        parser.add_argument("--output", default="docs/deadlines.md")
        parser.add_argument("--check", action="store_true", help="Fail if the table is stale.")

    def handle(self, *args, output: str, check: bool, **options):
        path = Path(output)
        page = path.read_text(encoding="utf-8") if path.exists() else ""
        if START not in page or END not in page:
            raise CommandError(f"{path} has no {START.strip()} … {END} block for the table.")
        before, rest = page.split(START, 1)
        after = rest.split(END, 1)[1]
        text = f"{before}{START}{rule_table_markdown()}{END}{after}"
        if check:
            if text != page:
                raise CommandError(f"{path} is stale: run `make docs`.")
            self.stdout.write(f"{path} is up to date.")
            return
        path.write_text(text, encoding="utf-8")
        self.stdout.write(f"Wrote the rule table into {path}.")
