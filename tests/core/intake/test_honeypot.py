"""The bot trap: a field people never see; what a bot puts in it is read, not refused."""

from django import forms
from django.template.loader import render_to_string

from mutu.core.intake import honeypot


class ComplaintForm(forms.Form):
    subject = forms.CharField()
    website = honeypot.honeypot_field()


def test_the_trap_is_optional_and_its_value_is_kept_for_the_judgement():
    person = ComplaintForm({"subject": "Antrean"})
    bot = ComplaintForm({"subject": "Antrean", honeypot.FIELD_NAME: "http://spam.example"})
    assert person.is_valid() and bot.is_valid()  # never refused: a bot learns nothing
    assert honeypot.trap_value(person) == ""
    assert honeypot.trap_value(bot) == "http://spam.example"


def test_the_trap_is_hidden_from_people_keyboards_and_screen_readers():
    html = render_to_string("intake/_honeypot.html", {"field": ComplaintForm()["website"]})
    assert 'class="trap" aria-hidden="true"' in html
    assert 'name="website"' in html and 'tabindex="-1"' in html and 'autocomplete="off"' in html
