from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from withhold.core.exceptions import ApplicationError, PermissionDeniedError
from withhold.core.forms import form_add_service_error
from withhold.core.pages import require_page_perm

from . import selectors, services
from .forms import EntityForm, EntitySearchForm, entity_form_initial


class MergedAway(Exception):
    """The entity asked for was merged into another: answer with a redirect to it."""

    def __init__(self, survivor_id: int):
        self.survivor_id = survivor_id


def _entity_or_404(pk: int):
    entity = selectors.entity_get(pk=pk)
    if entity is None:
        survivor_id = selectors.entity_merged_into(pk=pk)
        if survivor_id is not None:
            raise MergedAway(survivor_id)
        raise Http404(_("There is no such entity."))
    return entity


def _follow_merges(view):
    """A page of an entity merged into another answers with a permanent redirect (301) to the
    same page of the entity it was merged into, so old links and bookmarks keep working."""

    @wraps(view)
    def wrapped(request: HttpRequest, pk: int, *args, **kwargs) -> HttpResponse:
        try:
            return view(request, pk, *args, **kwargs)
        except MergedAway as merged:
            name = request.resolver_match.view_name if request.resolver_match else "entities:detail"
            return redirect(name, permanent=True, pk=merged.survivor_id)

    return wrapped


@login_required
@require_GET
def entity_list(request: HttpRequest) -> HttpResponse:
    require_page_perm(request, "entities.view_entity")
    form = EntitySearchForm(request.GET or None)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    entities = selectors.entity_list(
        text=data.get("q", ""), country=data.get("country", ""), kind=data.get("kind", "")
    )
    page = Paginator(entities, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "entities/list.html",
        {"form": form, "page_obj": page},
    )


@login_required
@require_GET
@_follow_merges
def entity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require_page_perm(request, "entities.view_entity")
    entity = _entity_or_404(pk)
    return render(request, "entities/detail.html", {"entity": entity, "is_demo": entity.is_demo})


def _save(request: HttpRequest, form: EntityForm, entity=None) -> HttpResponse | None:
    if not form.is_valid():
        return None
    data = dict(form.cleaned_data)
    confirm_new = data.pop("confirm_new")
    if entity is None and not confirm_new:
        # One record per company: show likely duplicates before a new one is saved.
        form.suggestions = selectors.entity_duplicate_suggestions(
            name=data["name"], country=data["country"]
        )
        if form.suggestions:
            form.add_error(
                None,
                _(
                    "This may already be on file (see below). Use the existing entity, or tick "
                    "“create it anyway”."
                ),
            )
            return None
    try:
        if entity is None:
            entity = services.entity_create(actor=request.user, **data)
        else:
            services.entity_update(entity=entity, actor=request.user, **data)
    except (ValidationError, ApplicationError) as exc:
        if isinstance(exc, PermissionDeniedError):
            raise PermissionDenied(exc.message) from exc
        form_add_service_error(form, exc)
        return None
    messages.success(request, _("Entity saved."))
    return redirect("entities:detail", pk=entity.pk)


@login_required
def entity_create(request: HttpRequest) -> HttpResponse:
    require_page_perm(request, "entities.add_entity")
    form = EntityForm(request.POST or None)
    if request.method == "POST" and (response := _save(request, form)):
        return response
    return render(
        request,
        "entities/form.html",
        {"form": form, "suggestions": getattr(form, "suggestions", [])},
    )


@login_required
@_follow_merges
def entity_edit(request: HttpRequest, pk: int) -> HttpResponse:
    require_page_perm(request, "entities.change_entity")
    entity = _entity_or_404(pk)
    form = EntityForm(request.POST or None, initial=entity_form_initial(entity))
    if request.method == "POST" and (response := _save(request, form, entity)):
        return response
    return render(request, "entities/form.html", {"form": form, "entity": entity})
