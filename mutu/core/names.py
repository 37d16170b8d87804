"""The name to greet a person by: Indonesian names carry honorifics and degrees around them."""

import re

# Titles written before a name (religious, academic, professional, forms of address), in lower
# case without dots. Abbreviations with a dot ("M.", "S.Kom") are skipped without a list.
HONORIFICS = frozenset(
    {
        "h", "hj", "haji", "hajjah", "kh", "ust", "ustadz", "ustazah",
        "dr", "drs", "dra", "drg", "ir", "prof", "apt", "ns", "ners",
        "bapak", "bpk", "pak", "ibu", "bu", "sdr", "sdri", "tn", "ny", "nn",
    }
)  # fmt: skip


def greeting_name(full_name: str) -> str:
    """'Hj. Siti Rahmah, S.E., M.Si.' → 'Siti'; 'Dr. Ir. H. Ahmad Yani' → 'Ahmad'. Degrees
    come after the first comma; titles and abbreviations before the first real name."""
    before_degrees = full_name.split(",", 1)[0]
    for word in before_degrees.split():
        bare = re.sub(r"[^\w]", "", word).lower()
        if bare and "." not in word and bare not in HONORIFICS:
            return word
    return ""
