import pytest
from django.core.management import call_command

from withhold.intake.models import Allegation

from ..factories import CommodityFactory

pytestmark = pytest.mark.django_db


def test_load_demo_also_loads_demo_allegations_once(capsys):
    CommodityFactory(name="Cotton", hs_code="5201")
    call_command("load_demo")
    demo = Allegation.objects.filter(is_demo=True)
    assert demo.count() == 5
    assert all(a.merchandise_description.startswith("DEMO") for a in demo)
    assert demo.exclude(decision="").count() == 2
    call_command("load_demo")
    assert Allegation.objects.count() == 5
