"""The notice list: each signed-in user's own notices, newest first; mark one or all read."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from . import selectors, services
from .models import Notice

PAGE_SIZE = 25


@login_required
def notice_list(request: HttpRequest) -> HttpResponse:
    state = request.GET.get("state", "all")
    notices = selectors.notices_for(request.user)
    if state == "unread":
        notices = notices.filter(read_at__isnull=True)
    page = Paginator(notices, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "notices/list.html",
        {
            "page_obj": page,
            "rows": selectors.notice_rows(request.user, page.object_list),
            "state": state if state == "unread" else "all",
        },
    )


def _back(request: HttpRequest):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("notices:list")


@login_required
@require_POST
def notice_read(request: HttpRequest, notice_id: int) -> HttpResponse:
    try:
        notice = Notice.objects.get(pk=notice_id, recipient=request.user)
    except Notice.DoesNotExist as exc:
        raise Http404 from exc
    services.notice_mark_read(user=request.user, notice=notice)
    return _back(request)


@login_required
@require_POST
def notices_read(request: HttpRequest) -> HttpResponse:
    services.notices_mark_all_read(user=request.user)
    return _back(request)
