"""Pure calculators behind every number mutu publishes (no Django imports here).

The formulas, their legal basis and the rounding rules are explained in docs/methodology.md.
"""

from mutu.indices.calendar import WorkingCalendar, parse_holidays_csv
from mutu.indices.errors import DataFileError, InputError
from mutu.indices.ikm import IkmResult, categorize_ikm, compute_ikm, ikm_from_answers
from mutu.indices.ipp import (
    Instrument,
    IppResult,
    categorize_ipp,
    compute_ipp,
    compute_ipp_from_aspects,
    load_instrument,
    load_instrument_file,
    mean_index,
    rescale_f03,
)
from mutu.indices.ombudsman import OmbudsmanResult, classify, load_schemes, scheme_for_year
from mutu.indices.sampling import krejcie_morgan

__all__ = [
    "DataFileError",
    "IkmResult",
    "InputError",
    "Instrument",
    "IppResult",
    "OmbudsmanResult",
    "WorkingCalendar",
    "categorize_ikm",
    "categorize_ipp",
    "classify",
    "compute_ikm",
    "compute_ipp",
    "compute_ipp_from_aspects",
    "ikm_from_answers",
    "krejcie_morgan",
    "load_instrument",
    "load_instrument_file",
    "load_schemes",
    "mean_index",
    "parse_holidays_csv",
    "rescale_f03",
    "scheme_for_year",
]
