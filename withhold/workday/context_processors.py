from .menu import menu_for


def menu(request):
    """The menu entries the signed-in user may open (``menu.menu_for``), split into the primary
    row, the Management submenu and the entries drawn after it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    entries = menu_for(user)
    match = getattr(request, "resolver_match", None)
    items = [{"entry": e, "url": e.url(), "current": e.is_current(match)} for e in entries]
    return {
        "menu_primary": [i for i in items if not i["entry"].group],
        "menu_tail": [i for i in items if i["entry"].group == "tail"],
        "menu_management": [i for i in items if i["entry"].group == "management"],
        "menu_management_current": any(
            i["current"] for i in items if i["entry"].group == "management"
        ),
    }
