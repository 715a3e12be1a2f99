"""``{% usa_field %}`` writes each kind of field as a USWDS form group with the markup Django's
own widgets would give (the widget part is compared with Django's rendering)."""

import re

from django import forms
from django.template import Context, Template

from withhold.core.forms import DateInput


class Report(forms.Form):
    title = forms.CharField(max_length=20, help_text="As on the <label>.")
    summary = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    received_on = forms.DateField(widget=DateInput())
    count = forms.IntegerField(min_value=1, required=False)
    anonymous = forms.BooleanField(required=False, help_text="No name is kept.")
    kind = forms.ChoiceField(choices=[("ngo", "NGO"), ("press", "Press & media")])
    channel = forms.ChoiceField(
        choices=[("web", "Web form"), ("mail", "Mail")], widget=forms.RadioSelect
    )
    secret = forms.CharField(widget=forms.HiddenInput, required=False)


def render(field, **options) -> str:
    args = " ".join(f'{k}="{v}"' for k, v in options.items())
    return Template("{% load withhold_ui %}{% usa_field f " + args + " %}").render(
        Context({"f": field})
    )


def tag(html: str, name: str) -> str:
    found = re.search(rf"<{name}\b[^>]*>", html)
    assert found, f"no <{name}> in {html}"
    return found[0]


def attributes(html_tag: str) -> dict[str, str]:
    return dict(re.findall(r'([\w-]+)(?:="([^"]*)")?', html_tag)[1:])


def test_a_text_field_has_its_label_required_mark_hint_and_the_widget_django_would_write():
    form = Report(initial={"title": 'Mill "A" & sons'})
    html = render(form["title"])
    assert '<label class="usa-label" for="id_title">Title <abbr title="required"' in html
    assert '<div class="usa-hint" id="id_title_helptext">As on the &lt;label&gt;.</div>' in html
    ours = attributes(tag(html, "input"))
    django = attributes(tag(form["title"].as_widget(attrs={"class": "usa-input"}), "input"))
    assert ours.pop("aria-describedby") == "id_title_helptext"
    django.pop("aria-describedby", None)
    assert ours == django
    assert ours["value"] == "Mill &quot;A&quot; &amp; sons"


def test_an_error_marks_the_group_the_label_and_the_widget_and_is_announced():
    form = Report(data={"title": "x" * 30, "kind": "ngo", "channel": "web"})
    assert not form.is_valid()
    html = render(form["title"])
    assert html.startswith('<div class="usa-form-group usa-form-group--error">')
    assert 'class="usa-label usa-label--error"' in html
    assert '<span class="usa-error-message" id="id_title_error">' in html
    widget = attributes(tag(html, "input"))
    assert widget["aria-describedby"] == "id_title_helptext id_title_error"
    assert widget["aria-invalid"] == "true"
    assert widget["class"] == "usa-input usa-input--error"
    assert widget["value"] == "x" * 30


def test_a_textarea_keeps_its_text_and_djangos_leading_newline():
    form = Report(data={"summary": "line one\n<b>two</b>"})
    html = render(form["summary"])
    assert (
        '<textarea name="summary" cols="40" rows="3" class="usa-textarea" id="id_summary">' in html
    )
    assert "\nline one\n&lt;b&gt;two&lt;/b&gt;</textarea>" in html
    assert "required" not in tag(html, "textarea")


def test_dates_numbers_and_selects_get_their_native_widgets_and_uswds_classes():
    form = Report(initial={"received_on": "2026-09-30", "kind": "press"})
    date = attributes(tag(render(form["received_on"]), "input"))
    assert (date["type"], date["value"], date["class"]) == ("date", "2026-09-30", "usa-input")
    number = attributes(tag(render(form["count"], input_class="usa-input--sm"), "input"))
    assert (number["type"], number["min"], number["class"]) == (
        "number",
        "1",
        "usa-input usa-input--sm",
    )
    select = render(form["kind"])
    assert 'class="usa-select"' in tag(select, "select")
    assert '<option value="press" selected>Press &amp; media</option>' in select


def test_a_checkbox_puts_its_hint_inside_the_label():
    form = Report(initial={"anonymous": True})
    html = render(form["anonymous"], group_class="margin-top-2")
    assert html.startswith('<div class="usa-form-group margin-top-2"><div class="usa-checkbox">')
    box = attributes(tag(html, "input"))
    assert (box["type"], box["class"], "checked" in box) == (
        "checkbox",
        "usa-checkbox__input",
        True,
    )
    assert (
        '<span class="usa-checkbox__label-description" id="id_anonymous_helptext">'
        "No name is kept.</span></label>"
    ) in html


def test_radio_choices_are_a_fieldset_with_a_legend_and_one_uswds_radio_each():
    form = Report(initial={"channel": "mail"})
    html = render(form["channel"], label="How it came in")
    assert '<fieldset class="usa-fieldset" id="id_channel">' in html
    assert '<legend class="usa-legend">How it came in <abbr title="required"' in html
    radios = re.findall(r'<input class="usa-radio__input"[^>]*>', html)
    assert len(radios) == 2
    assert 'value="mail" checked' in radios[1]
    assert '<label class="usa-radio__label" for="id_channel_1">Mail</label>' in html


def test_a_hidden_field_is_only_its_input():
    form = Report(initial={"secret": "a&b"})
    assert (
        render(form["secret"])
        == '<input type="hidden" name="secret" value="a&amp;b" id="id_secret">'
    )
