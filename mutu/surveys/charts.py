"""Chart geometry for inline SVG (pages and PDF reports): computed here, drawn by templates."""

from typing import Any

from mutu.surveys.models import Unsur


def nrr_bars(result: Any, width: int = 300) -> dict[str, Any]:
    """Bars of NRR 1–4 scaled to `width` px, the lowest three marked."""
    if result.ikm is None:
        return {"bars": [], "height": 0}
    labels = dict(Unsur.choices)
    low = {code for code, _value in result.lowest}
    bars = []
    for index, (code, value) in enumerate(result.ikm.nrr.items()):
        bar = int(value / 4 * width)
        bars.append(
            {
                "code": code,
                "label": labels[code],
                "value": value,
                "width": bar,
                "y": index * 24,
                "text_x": 216 + bar,
                "low": code in low,
            }
        )
    return {"bars": bars, "height": len(bars) * 24}
