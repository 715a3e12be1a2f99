"""Work every web process would otherwise repeat on its first requests, done once before forking.

gunicorn loads the application in its master process (``preload_app``) and calls ``warm_up``
there (``when_ready`` in ``gunicorn_conf``), so each worker it forks, and each worker that
replaces one after ``max_requests``, starts with every URL pattern and view imported, every
template compiled and the country tables read. Nothing here touches the database: a
connection opened before the fork would be shared by every worker.
"""

import logging
import time
from pathlib import Path

logger = logging.getLogger(__name__)


def _count_patterns(patterns) -> int:
    return sum(
        _count_patterns(p.url_patterns) if hasattr(p, "url_patterns") else 1 for p in patterns
    )


def _directories(loaders) -> list:
    found = []
    for loader in loaders:
        found += _directories(getattr(loader, "loaders", [])) if hasattr(loader, "loaders") else []
        found += list(loader.get_dirs()) if hasattr(loader, "get_dirs") else []
    return found


def _template_names(engine) -> list[str]:
    names: list[str] = []
    for directory in dict.fromkeys(_directories(engine.template_loaders)):
        root = Path(directory)
        if root.is_dir():
            names += [
                str(path.relative_to(root))
                for path in sorted(root.rglob("*"))
                if path.suffix in {".html", ".txt"} and path.is_file()
            ]
    return names


def warm_up() -> dict[str, float]:
    """Import the views, compile the templates, read the reference tables; returns counts."""
    from django.forms.renderers import get_default_renderer
    from django.template import TemplateDoesNotExist, TemplateSyntaxError, engines
    from django.urls import get_resolver

    from withhold.reference.countries import country_choices, subdivision_name

    started = time.perf_counter()
    resolver = get_resolver()
    resolver.reverse_dict  # noqa: B018 (imports every URLconf and view, fills the reverse table)
    patterns = _count_patterns(resolver.url_patterns)
    compiled = 0
    for engine in engines.all():
        for name in _template_names(engine.engine):
            try:
                engine.get_template(name)
            except (TemplateDoesNotExist, TemplateSyntaxError, UnicodeDecodeError):
                continue  # a fragment that is not a whole template; it is compiled where used
            compiled += 1
    renderer = get_default_renderer()
    for widget in ("input", "text", "textarea", "select", "checkbox", "attrs", "date"):
        renderer.get_template(f"django/forms/widgets/{widget}.html")
    countries = len(country_choices())
    subdivision_name("CN-XJ")  # pycountry reads its table of subdivisions on the first look-up
    summary = {
        "url_patterns": patterns,
        "templates": compiled,
        "countries": countries,
        "seconds": round(time.perf_counter() - started, 2),
    }
    logger.info("Warmed up before forking the web workers: %s", summary)
    return summary
