"""The timeline picture never cuts a label: long ones (Spanish, long notice names) wrap and the
picture grows taller; every word stays and every line fits the width."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from notices import timeline

LONG_ES = ("Usted está aquí: LTR1058, Aviso final de intención de embargo y aviso de su derecho a una audiencia, "
           "responder antes del 16 de septiembre de 2026 (fecha estimada: envíeme la fecha impresa en el aviso)")
WORD = "Supercalifragilisticoespialidosamentedeclaracióndelimpuestosobrelarenta" * 2


def picture(here: str, title: str = "CP14", step: str = "Saldo adeudado") -> timeline.Timeline:
    return timeline.Timeline(
        title=title, current=1, here_label=here,
        rungs=(timeline.Rung(1, step, "CP14, CP161"), timeline.Rung(2, "Recordatorio", "CP501")),
        upcoming=(timeline.Upcoming(2, "CP501 esperado entre el 1 de diciembre y el 22 de diciembre (estimación)"),),
        received=(timeline.Upcoming(1, "CP14 recibido (con fecha del 3 de noviembre de 2026)"),),
        footer="Si no hace nada, cada paso suele seguir al anterior. Las fechas de los próximos avisos son rangos.")


@pytest.mark.parametrize(("here", "title", "step"), [
    (LONG_ES, "CP14", "Saldo adeudado"),
    ("Usted está aquí: CP14", "Formulario 1040 · 2022, 2023, 2024: dónde está el caso en la escalera de cobro del "
     "IRS (un título muy largo que no cabe en una línea)", "Saldo adeudado"),
    ("Usted está aquí: CP14", "CP14", "Saldo adeudado (aviso y requerimiento de pago) / Ajuste que genera un saldo "
     "adeudado / Recordatorio anual (cobro diferido)"),
    (f"Usted está aquí: {WORD}", "CP14", "Saldo adeudado"),
], ids=["long-here-label", "long-title", "long-step-name", "one-word-wider-than-the-picture"])
def test_long_spanish_labels_wrap_and_nothing_is_cut(here: str, title: str, step: str) -> None:
    t = picture(here, title, step)
    placed = timeline.layout(t)
    short = timeline.layout(picture("Usted está aquí: CP14"))
    assert placed.height > short.height  # grew instead of cutting
    assert not any("…" in p.text for p in placed.texts)
    for p in placed.texts:
        assert p.x + timeline._MEASURE.textlength(p.text, font=timeline._font(p.size, p.bold)) <= timeline.WIDTH \
            - timeline.MARGIN, p.text
    drawn = "".join(p.text for p in placed.texts).replace(" ", "")
    for label in (here, title, step, *(u.label for u in t.upcoming), *(r.label for r in t.received), t.footer):
        assert label.replace(" ", "") in drawn, label
    image = Image.open(io.BytesIO(timeline.render(t)))
    assert image.format == "PNG" and image.size == (timeline.WIDTH, placed.height)


def test_wrap_keeps_every_character() -> None:
    font = timeline._font(16)
    lines = timeline.wrap(f"uno {WORD} dos", font, 300)
    assert len(lines) > 2 and "".join(lines).replace(" ", "") == f"uno{WORD}dos"
