"""The offline kit: its files, one page per recommendation and country, nothing that loads from another host,
shared assets written once, data text escaped, and the CLI's report and refusals."""

from __future__ import annotations

import csv
import datetime as dt
import html
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlparse

import pytest

from igf_explorer.cli import main
from igf_explorer.indicator_store import IndicatorStore
from igf_explorer.indicators import load_store
from igf_explorer.kit import SECTIONS, KitError, Section, export_kit
from igf_explorer.kit.assets import plotly_js_path
from igf_explorer.kit.build import MANIFEST
from igf_explorer.slides import load_slides
from igf_explorer.statement import Statement
from tests.conftest import DATA_DIR

SLIDES = load_slides(DATA_DIR, None)

COUNTRIES = ("PAK", "NGA", "ABW")  # a signatory's country, a WCIT-12 signer, a country FOTN does not cover
EXPORTED = dt.date(2026, 1, 2)
HOSTILE = '<script>alert("kit")</script><img src=x onerror=alert(1)>'
# Elements whose attribute makes the browser fetch something as the page loads (or on a click, for <a>/<form>).
LOADING = {
    "script": "src",
    "img": "src",
    "iframe": "src",
    "embed": "src",
    "source": "src",
    "video": "src",
    "audio": "src",
    "track": "src",
    "input": "src",
    "object": "data",
    "link": "href",
}


class Markup(HTMLParser):
    """Every tag with its attributes, and the text of <title>."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.title = ""
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))
        self._in_title = tag == "title"

    def handle_endtag(self, tag: str) -> None:
        self._in_title = False if tag == "title" else self._in_title

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data


def parse(path: Path) -> Markup:
    parser = Markup()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


@pytest.fixture(scope="session")
def kit(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """One kit for the whole module, exported through the CLI (a few countries keep it to seconds)."""
    out = tmp_path_factory.mktemp("kit") / "kit"
    import contextlib
    import io

    stdout = io.StringIO()
    with contextlib.redirect_stdout(stdout):
        code = main(["--data-dir", str(DATA_DIR), "export-kit", str(out), "--countries", ",".join(COUNTRIES)])
    assert code == 0
    return out, stdout.getvalue()


def pages(root: Path) -> list[Path]:
    return sorted(root.rglob("*.html"))


def test_the_kit_has_its_index_handout_assets_and_a_page_per_recommendation_and_country(
    kit: tuple[Path, str], shipped_statement: Statement
) -> None:
    root, _ = kit
    for name in ("index.html", "handout.html", "assets/plotly.min.js", "assets/world_110m.js", "assets/kit.js"):
        assert (root / name).is_file(), name
    recommendations = sorted(p.stem for p in (root / "recommendations").glob("*.html"))
    assert len(recommendations) == 14 == len(shipped_statement.recommendations)
    assert recommendations == sorted(r.id for r in shipped_statement.recommendations)
    assert sorted(p.stem for p in (root / "countries").glob("*.html")) == sorted(COUNTRIES)
    assert len(pages(root)) == 2 + len(SLIDES) + 14 + len(COUNTRIES)


def test_by_default_every_country_with_a_figure_gets_a_page(tmp_path: Path) -> None:
    # Without the section builders the export is quick, and the country list is what the pages would be.
    report = export_kit(DATA_DIR, tmp_path / "kit", sections=())
    store = IndicatorStore(*load_store(DATA_DIR))
    assert report.countries == len(store.countries) > 150
    assert report.pages == 1 and (tmp_path / "kit" / "index.html").is_file()


def test_the_cli_reports_pages_files_and_bytes(kit: tuple[Path, str]) -> None:
    root, out = kit
    files = [p for p in root.rglob("*") if p.is_file()]
    total = sum(p.stat().st_size for p in files)
    match = re.search(r"wrote (\d+) pages \((\d+) countries\) in (\d+) files, ([\d,]+) bytes", out)
    assert match is not None, out
    assert int(match.group(1)) == len(pages(root)) and int(match.group(2)) == len(COUNTRIES)
    assert int(match.group(3)) == len(files) and int(match.group(4).replace(",", "")) == total
    assert "plotly.js:" in out


def test_no_page_loads_anything_from_another_host_and_every_link_resolves(kit: tuple[Path, str]) -> None:
    root, _ = kit
    for path in pages(root):
        for tag, attrs in parse(path).tags:
            targets = [attrs[LOADING[tag]]] if tag in LOADING and LOADING[tag] in attrs else []
            if tag in ("a", "area", "form"):
                targets += [attrs.get("href", "") or attrs.get("action", "")]
            targets += [attrs["srcset"]] if "srcset" in attrs else []
            for target in filter(None, targets):
                parsed = urlparse(target)
                assert not parsed.scheme and not parsed.netloc, f"{path.name}: <{tag}> {target}"
                if tag in ("a", "link", "script") and not target.startswith("#"):
                    assert (path.parent / parsed.path).resolve().is_file(), f"{path.name}: broken {target}"
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"""(src|href|action|data)\s*=\s*["']?\s*(https?:)?//""", text, re.I), path.name
        assert "@import" not in text and "url(http" not in text


def test_plotly_and_the_map_are_in_the_kit_once_and_referenced_relatively(kit: tuple[Path, str]) -> None:
    root, _ = kit
    bundles = [p for p in root.rglob("*") if p.is_file() and p.stat().st_size > 1_000_000]
    assert bundles == [root / "assets" / "plotly.min.js"]
    assert (root / "assets" / "plotly.min.js").read_bytes() == plotly_js_path().read_bytes()
    assert len(list(root.rglob("world_110m*"))) == 1
    geo = (root / "assets" / "world_110m.js").read_text(encoding="utf-8")
    assert geo.startswith("window.PlotlyGeoAssets") and '"Topology"' in geo
    for path in pages(root):
        text = path.read_text(encoding="utf-8")
        assert "plotly.js v" not in text and '"Topology"' not in text and path.stat().st_size < 400_000
        if "data-figure" in text:
            prefix = "../" if path.parent != root else ""
            scripts = [a["src"] for t, a in parse(path).tags if t == "script" and "src" in a]
            assert scripts == [
                f"{prefix}assets/world_110m.js",
                f"{prefix}assets/plotly.min.js",
                f"{prefix}assets/kit.js",
            ]
            assert '"topojsonURL":"' + prefix + 'assets/"' in text


def test_every_page_has_charset_language_title_and_a_footer_with_the_versions(kit: tuple[Path, str]) -> None:
    root, _ = kit
    manifest = json.loads((root / MANIFEST).read_text(encoding="utf-8"))
    for path in pages(root):
        text = path.read_text(encoding="utf-8")
        parsed = parse(path)
        assert text.startswith("<!DOCTYPE html>")
        assert ("meta", {"charset": "utf-8"}) in parsed.tags
        assert ("html", {"lang": "en"}) in parsed.tags
        assert parsed.title.strip(), path.name
        footer = text[text.index("<footer>") :]
        assert f"Data version {manifest['data_version']}" in footer and f"exported {manifest['exported']}" in footer
    assert len(manifest["data_version"]) == 12 and manifest["pages"] == len(pages(root))


def test_every_chart_has_a_text_alternative_and_a_data_table(kit: tuple[Path, str]) -> None:
    root, _ = kit
    charts = 0
    for path in pages(root):
        text = path.read_text(encoding="utf-8")
        tags = parse(path).tags
        for position, (_tag, attrs) in enumerate(tags):
            if "data-figure" not in attrs:
                continue
            charts += 1
            assert attrs.get("role") == "img" and len(attrs.get("aria-label", "")) > 30, path.name
            later = [t for t, a in tags[position + 1 :] if t == "table" or "data-figure" in a]
            assert later and later[0] == "table", f"{path.name}: chart {attrs['id']} has no table after it"
        assert text.count("<caption>") >= text.count('role="img"')
    assert charts >= 13 + 1 + 3 * len(COUNTRIES)


def test_recommendation_pages_give_the_text_verbatim_and_what_measures_it(
    kit: tuple[Path, str], shipped_statement: Statement
) -> None:
    root, _ = kit
    for rec in shipped_statement.recommendations:
        text = (root / "recommendations" / f"{rec.id}.html").read_text(encoding="utf-8")
        assert html.escape(rec.text) in text
        assert html.escape(shipped_statement.addressee(rec.addressee).heading) in text
        for theme in rec.themes:
            assert html.escape(shipped_statement.theme(theme).label) in text
    unmeasured = (root / "recommendations" / "companies-gni.html").read_text(encoding="utf-8")
    assert "No country indicator in this kit measures this recommendation" in unmeasured
    assert "data-figure" not in unmeasured and "plotly.min.js" not in unmeasured
    blocking = (root / "recommendations" / "gov-blocking.html").read_text(encoding="utf-8")
    assert "Limits on Content: map and ranking" in blocking and "Source: Freedom House" in blocking
    assert 'href="../countries/PAK.html"' in blocking  # the ranking links to the countries the kit has


def test_country_pages_have_the_map_the_series_the_signatories_and_the_wcit_vote(kit: tuple[Path, str]) -> None:
    root, _ = kit
    pakistan = (root / "countries" / "PAK.html").read_text(encoding="utf-8")
    assert "<h1>Pakistan</h1>" in pakistan and "in its sub-region" in pakistan
    assert "<h3>Freedom on the Net</h3>" in pakistan and "Digital Rights Foundation, Pakistan" in pakistan
    assert "Signed the WCIT-12 Final Acts in Dubai" in pakistan
    assert pakistan.count("data-figure=") >= 4
    nigeria = (root / "countries" / "NGA.html").read_text(encoding="utf-8")
    assert "Signed (2012)." in nigeria and "Paradigm Initiative Nigeria" in nigeria
    aruba = (root / "countries" / "ABW.html").read_text(encoding="utf-8")
    assert "Not covered by Freedom on the Net in any edition." in aruba
    assert "No signatory of the statement is based in or works on Aruba." in aruba


def test_the_index_links_every_page_and_the_handout_has_all_recommendations(
    kit: tuple[Path, str], shipped_statement: Statement
) -> None:
    root, _ = kit
    index = parse(root / "index.html")
    links = {a["href"] for t, a in index.tags if t == "a"}
    expected = {p.relative_to(root).as_posix() for p in pages(root)}
    assert expected <= links
    index_text = (root / "index.html").read_text(encoding="utf-8")
    assert html.escape(shipped_statement.preamble[0]) in index_text
    handout = (root / "handout.html").read_text(encoding="utf-8")
    assert '<body class="handout">' in handout
    for rec in shipped_statement.recommendations:
        assert html.escape(rec.text) in handout
    # The sources of what the handout shows (the statement, its signatories, the map); the rest are on the index.
    assert handout.count("<li>") >= 14 + 6
    assert "statement/signatories.csv" in handout and "geo/world_50m.json" in handout and "MIT" in handout
    assert "indicators/fotn.csv" not in handout and "are on the kit's index page" in handout
    assert "indicators/fotn.csv" in index_text and "indicators/removals.csv" in index_text
    assert "@page { size: A4;" in (root / "assets" / "kit.css").read_text(encoding="utf-8")


def test_a_hostile_note_in_the_data_is_escaped_everywhere(data_copy: Path, tmp_path: Path) -> None:
    path = data_copy / "indicators" / "wcit12.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    row = next(r for r in rows if r["iso3"] == "NGA")
    row["note"] = HOSTILE
    row["source"] = "https://example.org/list " + HOSTILE  # also reaches the WCIT-12 map's hover text (chart JSON)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    assert main(["--data-dir", str(data_copy), "rehash"]) == 0
    assert main(["--data-dir", str(data_copy), "check"]) == 0
    out = tmp_path / "kit"
    export_kit(data_copy, out, countries=["NGA"], exported=EXPORTED)
    nigeria = (out / "countries" / "NGA.html").read_text(encoding="utf-8")
    assert f"Note: {html.escape(HOSTILE)}" in nigeria  # shown, as text
    wcit = (out / "recommendations" / "gov-wcit-delegations.html").read_text(encoding="utf-8")
    assert "alert" in wcit  # the hover text carries the source, as inert JSON
    for page in pages(out):
        text = page.read_text(encoding="utf-8")
        assert "<script>alert" not in text and "<img src=x" not in text, page.name
        assert text.count("<script") == text.count("</script>"), page.name


def test_chart_json_can_never_end_its_script_element() -> None:
    from igf_explorer.kit.markup import script_json

    text = script_json({"hover": "</script><script>alert(1)</script><!--", "amp": "&"})
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == {"hover": "</script><script>alert(1)</script><!--", "amp": "&"}


def test_data_ids_cannot_leave_the_kit_folder() -> None:
    from igf_explorer.kit.pages import file_name

    assert file_name("../../etc/passwd") == "etc-passwd"
    assert file_name("gov-blocking") == "gov-blocking"
    assert file_name("...") == "page"


def test_sections_are_the_extension_point(tmp_path: Path) -> None:
    # A new kind of page (slides, later) is one more Section: the index links its pages with no other change.
    from igf_explorer.kit.markup import document
    from igf_explorer.kit.pages import KitContext, Page

    def extra_pages(context: KitContext):  # type: ignore[no-untyped-def]
        path = "slides/one.html"
        yield Page(path, "Slide one", "", document("Slide one", "Slide one", "<p>Hello</p>", context.shell(path)))

    out = tmp_path / "kit"
    export_kit(DATA_DIR, out, countries=[], sections=(Section("Slides", "Slides.", extra_pages),))
    assert (out / "slides" / "one.html").is_file()
    assert 'href="slides/one.html"' in (out / "index.html").read_text(encoding="utf-8")
    assert [s.title for s in SECTIONS] == ["Handout", "Slides", "Recommendations", "Countries"]


def test_bad_outdirs_exit_2_with_a_message_and_no_traceback(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    a_file = tmp_path / "notes.txt"
    a_file.write_text("keep me", encoding="utf-8")
    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / "thesis.docx").write_text("keep me too", encoding="utf-8")
    cases = {
        str(a_file): "is a file",
        str(a_file / "kit"): "cannot write",
        str(busy): "not empty",
    }
    for outdir, message in cases.items():
        code = main(["export-kit", outdir, "--countries", "PAK"])
        _, err = capsys.readouterr()
        assert code == 2 and message in err and "Traceback" not in err, (outdir, err)
    assert a_file.read_text(encoding="utf-8") == "keep me"
    assert sorted(p.name for p in busy.iterdir()) == ["thesis.docx"]
    code = main(["export-kit", str(tmp_path / "kit"), "--countries", "PAK,XXX"])
    _, err = capsys.readouterr()
    assert code == 2 and "no figure for XXX" in err
    code = main(["export-kit", str(tmp_path / "kit"), "--countries", ","])
    _, err = capsys.readouterr()
    assert code == 2 and "ISO3" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["busy", "notes.txt"]  # nothing half-written left behind


def test_an_earlier_kit_is_replaced_whole(tmp_path: Path) -> None:
    out = tmp_path / "kit"
    export_kit(DATA_DIR, out, sections=())
    (out / "countries").mkdir()
    (out / "countries" / "STALE.html").write_text("old", encoding="utf-8")
    report = export_kit(DATA_DIR, out, sections=(), exported=EXPORTED)
    assert not (out / "countries").exists() and (out / "index.html").is_file()
    assert f"exported {EXPORTED.isoformat()}" in (out / "index.html").read_text(encoding="utf-8")
    assert report.outdir == out and sorted(p.name for p in tmp_path.iterdir()) == ["kit"]
    with pytest.raises(KitError):
        export_kit(DATA_DIR, out / "index.html", sections=())


def test_a_failed_export_leaves_the_earlier_kit_as_it_was(tmp_path: Path) -> None:
    out = tmp_path / "kit"
    export_kit(DATA_DIR, out, sections=(), exported=EXPORTED)
    before = (out / "index.html").read_bytes()

    def broken(context):  # type: ignore[no-untyped-def]
        raise RuntimeError("a builder failed")
        yield  # pragma: no cover

    with pytest.raises(RuntimeError):
        export_kit(DATA_DIR, out, sections=(Section("Broken", "", broken),))
    assert (out / "index.html").read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kit"]  # no half-built folder left beside it


def test_one_slide_page_per_slide_linked_from_the_index_and_to_each_other(
    kit: tuple[Path, str], shipped_statement: Statement
) -> None:
    root, _ = kit
    found = sorted(p.name for p in (root / "slides").glob("*.html"))
    assert found == [f"slide-{n:02d}.html" for n in range(1, len(SLIDES) + 1)]
    index_links = {a["href"] for t, a in parse(root / "index.html").tags if t == "a"}
    assert {f"slides/{name}" for name in found} <= index_links
    for number, name in enumerate(found, start=1):
        path = root / "slides" / name
        links = [a["href"] for t, a in parse(path).tags if t == "a"]
        assert (f"slide-{number - 1:02d}.html" in links) == (number > 1), name
        assert (f"slide-{number + 1:02d}.html" in links) == (number < len(found)), name
        text = path.read_text(encoding="utf-8")
        assert f"Slide {number} / {len(found)}" in text and "<summary>Speaker notes</summary>" in text
        assert html.escape(SLIDES[number - 1].notes) in text and '<body class="slide">' in text
        assert ("data-figure" in text) == (SLIDES[number - 1].kind not in ("title", "share"))
        if "data-figure" in text:
            assert 'class="source">Source: ' in text
    first = (root / "slides" / found[0]).read_text(encoding="utf-8")
    assert html.escape(shipped_statement.title) in first and "6–9 November 2012" in first
    governments = (root / "slides" / found[2]).read_text(encoding="utf-8")
    access = shipped_statement.recommendation("gov-access")
    assert access is not None and html.escape(access.text) in governments
