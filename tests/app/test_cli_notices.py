"""The parse/deadline/estimate subcommands, through an argparse parser built like app/cli.py."""

import argparse
import json
import subprocess
import sys
from pathlib import Path

import pytest

from app import cli_notices

ROOT = Path(__file__).resolve().parents[2]


def run(argv, capsys):
    parser = argparse.ArgumentParser(prog="noticebot")
    cli_notices.register(parser.add_subparsers(dest="cmd", required=True))
    args = parser.parse_args(argv)
    code = args.func(args)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_parse_json(capsys):
    code, out, err = run(["parse", "--json", "--today", "2026-11-21",
                          "my ssn is 078-05-1120 and i got cp14 for 2025, $300"], capsys)
    assert code == 0 and not err
    data = json.loads(out)
    assert data["notice"] == "CP14" and data["amount"] == "300.00" and data["redacted"] is True
    assert "078" not in out and "1120" not in out


def test_parse_prints_the_json_object_without_flags(capsys):
    """The JSON object stays the default: scripts and the shared test messages' keys rely on it."""
    code, out, _ = run(["parse", "--today", "2026-11-21", "CP14 for 2024, $300"], capsys)
    assert code == 0 and json.loads(out)["notice"] == "CP14"


def test_parse_sample_with_dates(capsys):
    code, out, _ = run(["parse", "--json", "--today", "2026-11-21", "Letter 1058 dated 11/04/2026"], capsys)
    data = json.loads(out)
    assert data["respond_by"] == "2026-12-04" and data["notice"] == "LTR1058"


def test_parse_text_prints_in_english_by_default(capsys):
    code, out, err = run(["parse", "--text", "--today", "2026-11-21", "CP14 for 2024, I owe $2,518.40, dated November 2, 2026, "
                          "my SSN 078-05-1120"], capsys)
    assert code == 0 and not err
    assert "Notice: CP14 — Balance due" in out and "Tax years: 2024" in out and "Amount: $2,518.40" in out
    assert "Notice date: November 2, 2026" in out and "Respond by: November 23, 2026" in out
    assert "Removed from the text and never stored: a Social Security number" in out
    assert "078" not in out and "1120" not in out and "<b>" not in out


def test_parse_lang_es_prints_in_spanish_and_reads_dates_day_first(capsys):
    code, out, _ = run(["parse", "--text", "--lang", "es", "--today", "2026-11-21", "LT11 2023 $9,004 dated 04/11/2026"], capsys)
    assert code == 0
    assert "Aviso: LT11 — Aviso final de intención de embargo" in out
    assert "Años tributarios: 2023" in out and "Cantidad: 9.004,00\xa0US$" in out
    assert "Fecha del aviso: 4 de noviembre de 2026" in out  # 04/11 is 4 November for a Spanish reader
    assert "Es una fecha límite estricta" in out
    assert "Notice" not in out and "Amount" not in out  # nothing left in English
    code, out, _ = run(["parse", "--lang", "es", "--json", "--today", "2026-11-21", "LT11 dated 04/11/2026"], capsys)
    assert json.loads(out)["notice_date"] == "2026-11-04"  # --json keeps its keys; the date order follows --lang


def test_parse_says_what_is_missing_and_answers_a_letter_that_is_not_a_bill(capsys):
    code, out, _ = run(["parse", "--text", "--lang", "es", "--today", "2026-11-21", "CP504"], capsys)
    assert "Falta buscar en el aviso: la fecha del aviso" in out
    code, out, _ = run(["parse", "--text", "--today", "2026-11-21", "I got a CP09 for 2024"], capsys)
    assert "CP09 is not a bill" in out and "https://www.irs.gov/individuals/understanding-your-cp09-notice" in out
    assert "Notice:" not in out


def test_parse_rejects_an_unknown_language(capsys):
    with pytest.raises(SystemExit):
        run(["parse", "--lang", "fr", "CP14"], capsys)


def test_deadline_json(capsys):
    code, out, _ = run(["deadline", "CP3219A", "--notice-date", "2026-10-01", "--abroad", "--json"], capsys)
    data = json.loads(out)
    assert code == 0 and data["respond_by"] == "2027-03-01" and data["window_days"] == 150
    assert data["hard_deadline"] is True and data["estimate"] is False


def test_deadline_text_and_printed(capsys):
    code, out, _ = run(["deadline", "cp504", "--notice-date", "2026-11-02", "--printed-due", "2026-12-02"], capsys)
    assert code == 0 and "2026-12-02" in out and "printed" in out


def test_estimate(capsys):
    code, out, _ = run(["estimate", "--amount", "10000", "--from", "2025-01-01", "--to", "2026-01-01", "--json"],
                       capsys)
    data = json.loads(out)
    assert code == 0 and data["interest"] == "725.01" and data["penalty"] == "600.00"
    code, out, _ = run(["estimate", "--amount", "$1,000", "--from", "2026-01-01", "--to", "2026-03-01", "--plan"],
                       capsys)
    assert code == 0 and "penalty" in out


@pytest.mark.parametrize(
    "argv",
    [
        ["deadline", "CP14", "--notice-date", "2026-13-01"],
        ["deadline", "CP14", "--notice-date", "2026-11-02", "--printed-due", "2026-10-01"],
        ["estimate", "--amount", "abc", "--from", "2026-01-01", "--to", "2026-02-01"],
        ["estimate", "--amount", "-5", "--from", "2026-01-01", "--to", "2026-02-01"],
        ["estimate", "--amount", "5", "--from", "2026-03-01", "--to", "2026-02-01"],
        ["parse", "--today", "yesterday", "CP14"],
    ],
)
def test_bad_input_exits_2_with_one_line(argv, capsys):
    code, out, err = run(argv, capsys)
    assert code == 2 and not out
    assert len(err.strip().splitlines()) == 1


def test_bench_reports_json():
    proc = subprocess.run([sys.executable, str(ROOT / "bench/parse.py"), "--json", "--seconds", "0.6"],
                          capture_output=True, text=True, check=True, cwd=ROOT, timeout=120)
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    assert result["messages"] >= 20
    assert result["speedup"] >= 10


def test_deadline_shows_two_dates_the_ignored_printed_date_and_business_days(capsys):
    # issue 14: CP11 pays by ~21 days and disputes within 60; a later printed date never moves a
    # CDP date; a CP14 of $100,000 or more is due in 10 business days (usc/26/6601(e)(3)).
    _, out, _ = run(["deadline", "CP11", "--notice-date", "2026-11-02"], capsys)
    assert "Pay by: 2026-11-23" in out and "Respond by: 2027-01-04 (60 days)" in out
    _, out, _ = run(["deadline", "LT11", "--notice-date", "2026-11-02", "--printed-due", "2027-01-20"], capsys)
    assert "not used" in out and "Respond by: 2026-12-02 (30 days)" in out
    _, out, _ = run(["deadline", "CP14", "--notice-date", "2026-11-03", "--amount", "$120,000"], capsys)
    assert "Respond by: 2026-11-18 (10 business days)" in out
    code, _, err = run(["deadline", "CP14", "--notice-date", "2026-11-03", "--amount", "lots"], capsys)
    assert code == 2 and "--amount" in err


def test_deadline_abroad_only_counts_on_a_notice_of_deficiency(capsys):
    _, out, _ = run(["deadline", "LT11", "--notice-date", "2026-11-02", "--abroad", "--json"], capsys)
    assert json.loads(out)["respond_by"] == "2026-12-02" and json.loads(out)["abroad"] is False
