from .menu import SUBMENUS, menu_for


def menu(request):
    """The menu entries the signed-in user may open (``menu.menu_for``), split into the primary
    row (with its submenus, ``menu.SUBMENUS``), the Management submenu and the entries drawn
    after it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    entries = menu_for(user)
    match = getattr(request, "resolver_match", None)
    items = [{"entry": e, "url": e.url(), "current": e.is_current(match)} for e in entries]
    primary: list[dict] = []
    for item in items:
        group = item["entry"].group
        if not group:
            primary.append(item)
        elif group in SUBMENUS:
            submenu = next((p for p in primary if p.get("submenu") == group), None)
            if submenu is None:
                submenu = {
                    "submenu": group,
                    "label": SUBMENUS[group],
                    "items": [],
                    "current": False,
                }
                primary.append(submenu)
            submenu["items"].append(item)
            submenu["current"] = submenu["current"] or item["current"]
    return {
        "menu_primary": primary,
        "menu_tail": [i for i in items if i["entry"].group == "tail"],
        "menu_management": [i for i in items if i["entry"].group == "management"],
        "menu_management_current": any(
            i["current"] for i in items if i["entry"].group == "management"
        ),
    }
