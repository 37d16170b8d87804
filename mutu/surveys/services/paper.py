"""Paper forms: the service date and the questionnaire number."""

from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from mutu.organisations.models import Unit
from mutu.surveys.models import Response, SurveyPeriod


def refuse_served_outside(period: SurveyPeriod, served_on: date | None) -> None:
    """A paper form's service date lies in its period: a form from another period (or a typo
    in the year) would count in the wrong IKM."""
    if served_on is not None and not period.starts_on <= served_on <= period.ends_on:
        raise ValidationError({"served_on": served_outside_message(period, served_on)})


def served_outside_message(period: SurveyPeriod, served_on: date) -> str:
    return _(
        "Tanggal layanan %(date)s di luar periode %(period)s (%(start)s s.d. %(end)s): formulir "
        "ini milik periode lain atau tanggalnya salah ketik."
    ) % {
        "date": f"{served_on:%d-%m-%Y}",
        "period": period.name,
        "start": f"{period.starts_on:%d-%m-%Y}",
        "end": f"{period.ends_on:%d-%m-%Y}",
    }


def paper_number_clean(raw: str) -> str:
    """The questionnaire number as compared: spaces dropped, upper case, and a plain number
    without its leading zeros (a spreadsheet turns "007" into 7; both are form 7)."""
    text = "".join(str(raw).split()).upper()
    return str(int(text)) if text.isdigit() else text


def paper_number_taken(period: SurveyPeriod, unit: Unit, number: str) -> bool:
    return Response.objects.filter(period=period, unit=unit, paper_number=number).exists()


def paper_numbers_taken(period: SurveyPeriod, unit: Unit) -> set[str]:
    """Every questionnaire number already stored for this unit and period (an import checks
    its rows against them with one query)."""
    return set(
        Response.objects.filter(period=period, unit=unit)
        .exclude(paper_number="")
        .values_list("paper_number", flat=True)
    )


def paper_number_taken_message(number: str) -> str:
    return _(
        "Nomor kuesioner %(number)s sudah dientri untuk unit ini pada periode ini: formulir yang "
        "sama tidak dihitung dua kali. Periksa nomor pada kertasnya."
    ) % {"number": number}
