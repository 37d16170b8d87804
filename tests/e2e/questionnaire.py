"""Filling the questionnaire as a citizen does: one answer word per unsur, consent, send."""

import re

# The third answer of each of the nine unsur, in the order they are asked.
WORDS = (
    "Sesuai",
    "Mudah",
    "Cepat",
    "Murah",
    "Sesuai",
    "Kompeten",
    "Sopan dan ramah",
    "Baik",
    "Berfungsi kurang maksimal",
)


def answer_and_send(page) -> None:
    for index, word in enumerate(WORDS):
        question = page.locator("fieldset").nth(index)
        question.locator("label").filter(has_text=re.compile(rf"^\s*{word}\s*$")).click()
    page.get_by_label(re.compile("Saya setuju")).check()
    page.get_by_role("button", name="Kirim jawaban").click()
