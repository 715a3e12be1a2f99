"""The work done once in gunicorn's master before it forks the web workers."""

from withhold.operations import gunicorn_conf
from withhold.operations.warmup import warm_up


def test_warm_up_compiles_the_templates_and_imports_the_urls_without_touching_the_database():
    # No django_db mark: pytest-django makes any database access in this test an error.
    summary = warm_up()
    assert summary["url_patterns"] > 200
    assert summary["templates"] > 150
    assert summary["countries"] == 249


def test_gunicorn_preloads_and_warms_up_by_default():
    assert gunicorn_conf.preload_app is True
    assert callable(gunicorn_conf.when_ready)
