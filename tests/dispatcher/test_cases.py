"""Cases through the real dispatcher, in English and Spanish: /notices lists cases (most urgent first,
a hard deadline before a soft one of the same week), a case opens on its timeline and its notices,
a notice moves to another case or a new one (twice is harmless, someone else's is refused), and the
calendar file and the timeline picture are per case."""

from __future__ import annotations

import io
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.callbacks import CaseAction, CaseCb, MoveCb
from services import Notice
from tests.dispatcher.inproc import Stack, dispatcher_stack
from tests.domain.calendar.conftest import parse
from tests.reliability.support import button, plain

ME, OTHER = 8601, 8602
SAVE = {"en": "Save", "es": "Guardar"}
WORDS = {
    "en": {"cases": "Your cases", "form": "Form 1040", "received": "Notices received", "next": "Next expected",
           "stage": "Stage now", "hard": "hard deadline", "move": "Move to another case", "new": "new case",
           "moved": "Moved", "already": "already in the case", "calendar": "Calendar for this case",
           "picture": "Timeline picture", "nothing": "Nothing logged yet", "file": "Calendar for the case"},
    "es": {"cases": "Sus casos", "form": "Formulario 1040", "received": "Avisos recibidos",
           "next": "Lo próximo que se espera", "stage": "Etapa actual", "hard": "fecha límite estricta",
           "move": "Mover a otro caso", "new": "caso nuevo", "moved": "Moví", "already": "ya está en el caso",
           "calendar": "Calendario de este caso", "picture": "Imagen de la línea de tiempo", "nothing": "Nada anotado", "file": "Calendario del caso"},
}


MONTHS = {"en": ("January", "February", "March", "April", "May", "June", "July", "August", "September",
                  "October", "November", "December"),
          "es": ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre",
                 "octubre", "noviembre", "diciembre")}


def ago(days: int) -> str:
    return f"{datetime.now(ZoneInfo('America/New_York')).date() - timedelta(days=days):%m/%d/%Y}"


def message(lang: str, code: str, year: int, dated: str) -> str:
    if lang == "es":  # a Spanish speaker writes the day first: 11/12 is the 11th of December
        month, day, year_part = dated.split("/")
        return f"{code} del año fiscal {year}, debo $1,250.00, fecha {day}/{month}/{year_part}"
    return f"{code} for tax year {year}, I owe $1,250.00, dated {dated}"


async def save(st: Stack, uid: int, lang: str, code: str, year: int, dated: str) -> Notice:
    [card] = [m for m in await st.say(uid, message(lang, code, year, dated)) if button(m, SAVE[lang])]
    await st.press(uid, card, button(card, SAVE[lang]) or "")
    async with st.sm() as s:
        return (await s.scalars(select(Notice).where(Notice.user_id == uid).order_by(Notice.id.desc()))).first()


async def three_notices(st: Stack, lang: str) -> tuple[Notice, Notice, Notice]:
    if lang == "es":
        await st.say(ME, "/language es")
    cp14 = await save(st, ME, lang, "CP14", 2024, ago(15))  # due in 6 days (soft)
    cp501 = await save(st, ME, lang, "CP501", 2024, ago(2))  # joins the CP14's case
    lt11 = await save(st, ME, lang, "LT11", 2022, ago(20))  # CDP hearing in 10 days: hard, so listed first
    return cp14, cp501, lt11


@pytest.mark.parametrize("lang", ["en", "es"])
async def test_notices_lists_cases_most_urgent_first_and_a_case_opens_on_its_timeline(
        tmp_path: Path, lang: str) -> None:
    w = WORDS[lang]
    async with dispatcher_stack(tmp_path) as st:
        cp14, cp501, lt11 = await three_notices(st, lang)
        assert cp501.case_id == cp14.case_id != lt11.case_id
        [listing] = await st.say(ME, "/notices")
        text = plain(listing)
        assert w["cases"] in text and text.index("LT11") < text.index("CP14, CP501") and w["hard"] in text
        case_button = CaseCb(action=CaseAction.OPEN, case_id=cp14.case_id).pack()
        assert button(listing, "CP14, CP501") == case_button
        _, [view] = await st.press(ME, listing, case_button)
        story = plain(view)
        for word in (w["form"], w["received"], w["stage"], w["next"], w["nothing"], "CP503"):
            assert word in story, word
        received = story.split(w["received"])[1]
        assert received.index("CP14") < received.index("CP501")  # in the order they were dated
        assert sum(month in received for month in MONTHS[lang]) >= 1  # dates in words
        assert button(view, "📄 CP14") and button(view, "📄 CP501") and button(view, w["calendar"])
        assert st.errors.records == []


@pytest.mark.parametrize("lang", ["en", "es"])
async def test_move_a_notice_to_a_new_case_and_back_and_twice_is_harmless(tmp_path: Path, lang: str) -> None:
    w = WORDS[lang]
    async with dispatcher_stack(tmp_path) as st:
        cp14, cp501, lt11 = await three_notices(st, lang)
        [listing] = await st.say(ME, "/notices")
        _, [view] = await st.press(ME, listing, CaseCb(action=CaseAction.OPEN, case_id=cp14.case_id).pack())
        _, [card] = await st.press(ME, view, button(view, "📄 CP501") or "")
        _, [menu] = await st.press(ME, card, button(card, w["move"]) or "")
        assert button(menu, "LT11") == MoveCb(notice_id=cp501.id, to=lt11.case_id).pack()
        answer, [moved] = await st.press(ME, menu, button(menu, w["new"]) or "")
        assert answer["text"].startswith(w["moved"]) and w["received"] in plain(moved)
        again, replies = await st.press(ME, menu, button(menu, w["new"]) or "")  # pressed twice
        assert w["already"] in again["text"] and replies == []
        back, _ = await st.press(ME, menu, MoveCb(notice_id=cp501.id, to=cp14.case_id).pack())
        assert back["text"].startswith(w["moved"])
        async with st.sm() as s:
            cases = {n.code: n.case_id for n in (await s.scalars(select(Notice).where(Notice.user_id == ME))).all()}
        assert cases["CP501"] == cases["CP14"] == cp14.case_id
        assert st.errors.records == []


async def test_moving_is_refused_for_someone_elses_notice_or_case(tmp_path: Path) -> None:
    async with dispatcher_stack(tmp_path) as st:
        cp14, cp501, _ = await three_notices(st, "en")
        theirs = await save(st, OTHER, "en", "CP14", 2021, ago(5))
        [mine] = await st.say(OTHER, "/help")
        answer, replies = await st.press(OTHER, mine, MoveCb(notice_id=cp501.id, to=theirs.case_id).pack())
        assert answer["show_alert"] and "not yours" in answer["text"] and replies == []
        for data in (CaseCb(action=a, case_id=cp14.case_id).pack() for a in CaseAction):
            answer, replies = await st.press(OTHER, mine, data)
            assert answer["show_alert"] and "not yours" in answer["text"] and replies == []
        [me] = await st.say(ME, "/help")
        answer, replies = await st.press(ME, me, MoveCb(notice_id=cp501.id, to=theirs.case_id).pack())
        assert answer["show_alert"] and "no longer exists" in answer["text"] and replies == []
        async with st.sm() as s:
            assert (await s.get(Notice, cp501.id)).case_id == cp14.case_id  # type: ignore[union-attr]
        assert st.errors.records == []


@pytest.mark.parametrize("lang", ["en", "es"])
async def test_calendar_and_picture_for_one_case(tmp_path: Path, lang: str) -> None:
    w = WORDS[lang]
    async with dispatcher_stack(tmp_path) as st:
        cp14, cp501, lt11 = await three_notices(st, lang)
        [listing] = await st.say(ME, "/notices")
        _, [view] = await st.press(ME, listing, CaseCb(action=CaseAction.OPEN, case_id=cp14.case_id).pack())
        _, [doc] = await st.press(ME, view, button(view, w["calendar"]) or "")
        assert doc["document"]["file_name"].endswith(f"-case-{cp14.case_id}.ics") and w["file"] in doc["caption"]
        summaries = [str(e["SUMMARY"]) for e in parse(st.emu.file_bytes(doc["document"]["file_id"])).events()
                     if "-remind-" not in str(e["UID"])]
        assert any("CP14" in s for s in summaries) and any("CP501" in s for s in summaries)
        assert not any("LT11" in s for s in summaries)  # another case's deadline is not in this file
        _, [photo] = await st.press(ME, view, button(view, w["picture"]) or "")
        from PIL import Image

        picture = Image.open(io.BytesIO(st.emu.file_bytes(photo["photo"][-1]["file_id"])))
        assert picture.format == "PNG" and "1040" in photo["caption"]
        assert st.errors.records == []




@pytest.mark.parametrize(("lang", "says"), [("en", "No notice in this case has a response date"),
                                            ("es", "Ningún aviso de este caso tiene todavía una fecha")])
async def test_a_case_without_any_date_says_so_instead_of_an_empty_calendar(
        tmp_path: Path, lang: str, says: str) -> None:
    from services import User

    async with dispatcher_stack(tmp_path) as st:
        [carrier] = await st.say(ME, "/help")
        async with st.sm() as s:
            (await s.get(User, ME)).language = lang  # type: ignore[union-attr]
            s.add(Notice(user_id=ME, code="CP71", tax_years=[2020]))  # an annual reminder: no response date
            await s.commit()
            case_id = (await s.scalars(select(Notice.case_id))).one()
        for _ in range(2):  # and again: the same answer
            answer, replies = await st.press(ME, carrier, CaseCb(action=CaseAction.CALENDAR, case_id=case_id).pack())
            assert answer["show_alert"] and says in answer["text"] and replies == []
        assert st.errors.records == []


@pytest.mark.parametrize(("lang", "says"), [("en", "Same case (same tax form and year) as your CP14"),
                                            ("es", "Mismo caso (mismo formulario y año) que su CP14")])
async def test_the_draft_card_names_the_case_it_will_join(tmp_path: Path, lang: str, says: str) -> None:
    async with dispatcher_stack(tmp_path) as st:
        if lang == "es":
            await st.say(ME, "/language es")
        await save(st, ME, lang, "CP14", 2024, ago(15))
        [card] = [m for m in await st.say(ME, message(lang, "CP501", 2024, ago(2))) if button(m, SAVE[lang])]
        assert says in plain(card)
        await st.press(ME, card, button(card, SAVE[lang]) or "")
        [other] = [m for m in await st.say(ME, message(lang, "CP501", 2021, ago(3))) if button(m, SAVE[lang])]
        assert "CP14" not in plain(other)  # another year: a new case
