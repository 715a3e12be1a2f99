"""factory_boy factories. Cases built here bypass the services on purpose (fast, any state);
tests of the rules themselves go through ``withhold.cases.services``."""

import datetime as dt

import factory
from django.contrib.auth.models import Group
from django.utils import timezone

from withhold.accounts.models import User
from withhold.accounts.roles import Role
from withhold.cases.models import Case, CaseEntity, CaseTransition, Task
from withhold.entities.models import Entity
from withhold.reference.models import Commodity


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.gov")
    password = factory.django.Password("correct-horse-battery")

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.add(Group.objects.get(name=Role(extracted).label))


class CommodityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Commodity
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Commodity {n}")
    hs_code = "5201"


class EntityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Entity

    name = factory.Sequence(lambda n: f"Example Manufacturing Co. {n}")
    country = "CN"
    kind = Entity.Kind.COMPANY


class CaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Case
        skip_postgeneration_save = True

    number = factory.Sequence(lambda n: f"FL-2026-{9000 + n:04d}")
    title = factory.Sequence(lambda n: f"Cotton garments from Example Mill {n}")
    allegation_summary = "Workers report their passports are held and wages withheld."
    commodity = factory.SubFactory(CommodityFactory, name="Cotton", hs_code="5201")
    source_country = "CN"
    referral_source = "ngo"
    received_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=30))
    opened_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=20))

    @factory.post_generation
    def opened(self, create, extracted, **kwargs):
        if create:
            CaseTransition.objects.create(
                case=self,
                kind=CaseTransition.Kind.OPENED,
                to_phase=self.phase,
                to_status=self.status,
                at=timezone.now(),
            )


class CaseEntityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CaseEntity

    case = factory.SubFactory(CaseFactory)
    entity = factory.SubFactory(EntityFactory)
    role = CaseEntity.Role.MANUFACTURER


class TaskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Task

    case = factory.SubFactory(CaseFactory)
    title = "Review supplier list"
    owner = factory.SubFactory(UserFactory, role=Role.CASE_ANALYST)
    due_on = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=7))


# Workforce -----------------------------------------------------------------------------------------


class CompetencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "workforce.Competency"

    name = factory.Sequence(lambda n: f"Test competency {n}")
    category = "investigation"
    required_level = 3
    required_headcount = 2


class StaffCompetencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "workforce.StaffCompetency"

    user = factory.SubFactory(UserFactory, role=Role.CASE_ANALYST)
    competency = factory.SubFactory(CompetencyFactory)
    level = 2
    assessed_on = factory.LazyFunction(timezone.localdate)


class TrainingPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "workforce.TrainingPlan"

    user = factory.SubFactory(UserFactory, role=Role.CASE_ANALYST)
    competency = factory.SubFactory(CompetencyFactory)
    title = factory.Sequence(lambda n: f"Course {n}")
    target_level = 3
    due_on = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=30))
