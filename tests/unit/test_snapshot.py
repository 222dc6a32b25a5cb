"""Static snapshots of views (igf_explorer.snapshot): names, content, links, freshness, settings and the CLI."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from igf_explorer.cli import main
from igf_explorer.kit.build import data_version
from igf_explorer.paths import DEFAULT_DATA_DIR
from igf_explorer.snapshot import (
    DEFAULT_SNAPSHOT_PATH,
    INDEX,
    MANIFEST,
    SNAPSHOT_DIR_ENV,
    SNAPSHOT_PATH_ENV,
    SnapshotError,
    live_href,
    parse_view,
    snapshot_settings,
    snapshot_url,
    vocabulary_of,
    write_snapshot,
)
from igf_explorer.url_state import Vocabulary
from igf_explorer.views import ExplorerData, load_data

LINK = "/map?theme=blocking&region=africa"
_REFERENCE = re.compile(r"""\b(?:src|href)="([^"]*)\"""")


@pytest.fixture(scope="module")
def data() -> ExplorerData:
    return load_data(DEFAULT_DATA_DIR)


@pytest.fixture(scope="module")
def vocabulary(data: ExplorerData) -> Vocabulary:
    return vocabulary_of(data)


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory, data: ExplorerData, vocabulary: Vocabulary) -> Path:
    outdir = tmp_path_factory.mktemp("snapshots")
    write_snapshot(DEFAULT_DATA_DIR, outdir, parse_view(LINK, vocabulary), served_path="snapshot", data=data)
    return outdir


def test_the_name_comes_from_the_view_and_is_the_same_however_the_link_is_spelled(vocabulary: Vocabulary) -> None:
    target = parse_view(LINK, vocabulary)
    assert re.fullmatch(r"map-theme-blocking-region-africa-[0-9a-f]{8}", target.name)
    assert parse_view("/map?region=africa&theme=blocking", vocabulary).name == target.name
    assert parse_view("http://10.0.0.5:8501/map?theme=blocking&region=africa", vocabulary).name == target.name
    assert parse_view("/map?theme=blocking", vocabulary).name != target.name
    assert target.link == LINK
    assert parse_view("/", vocabulary).name.startswith("overview-")
    assert parse_view("/country?country=pak", vocabulary).name.startswith("country-country-PAK-")


@pytest.mark.parametrize(
    ("link", "words"),
    [
        ("/about", "no static snapshot"),
        ("/nosuchpage", "not a page"),
        ("/map?country=PAK", "does not read country"),
        ("/map?theme=nosuchtheme", "nosuchtheme"),
    ],
)
def test_a_view_without_a_snapshot_is_refused_with_the_reason(
    tmp_path: Path, data: ExplorerData, vocabulary: Vocabulary, link: str, words: str
) -> None:
    with pytest.raises(SnapshotError, match=words):
        write_snapshot(DEFAULT_DATA_DIR, tmp_path, parse_view(link, vocabulary), data=data)
    assert not any(tmp_path.glob("*/" + INDEX))


def test_the_page_has_the_views_title_data_version_source_and_live_link(written: Path, vocabulary: Vocabulary) -> None:
    target = parse_view(LINK, vocabulary)
    html = (written / target.name / INDEX).read_text(encoding="utf-8")
    version = data_version(DEFAULT_DATA_DIR)
    assert re.search(r"<title>Map: [^<]+· IGF 2012 Statement Explorer: snapshot</title>", html)
    assert "<h1>Map: " in html and "Blocking &amp; censorship" in html and "Africa" in html
    assert f"Data version {version}" in html
    assert 'class="source">Source: ' in html
    assert (
        '<a class="live" href="../../map?theme=blocking&amp;region=africa">Open the live explorer at this view</a>'
        in html
    )
    assert 'data-figure="map-data"' in html
    manifest = json.loads((written / target.name / MANIFEST).read_text(encoding="utf-8"))
    assert manifest["data_version"] == version and manifest["view"] == LINK


def test_every_src_and_href_is_relative_or_the_live_link(written: Path, vocabulary: Vocabulary) -> None:
    html = (written / parse_view(LINK, vocabulary).name / INDEX).read_text(encoding="utf-8")
    references = _REFERENCE.findall(html)
    assert references
    for reference in references:
        assert not re.match(r"^[a-z][a-z0-9+.-]*:|^//", reference, re.I), reference
    assets = {r for r in references if "assets/" in r}
    assert assets == {"../assets/kit.css", "../assets/world_110m.js", "../assets/plotly.min.js", "../assets/kit.js"}
    for asset in assets:
        assert (written / parse_view(LINK, vocabulary).name / asset).resolve().is_file()
        assert (written / parse_view(LINK, vocabulary).name / (asset + ".gz")).resolve().is_file()


def test_with_a_base_the_live_link_is_absolute_and_the_only_absolute_one(
    tmp_path: Path, data: ExplorerData, vocabulary: Vocabulary
) -> None:
    target = parse_view("/country?country=PAK", vocabulary)
    live = "https://igf.example.org/explorer" + target.link
    write_snapshot(DEFAULT_DATA_DIR, tmp_path, target, live=live, data=data)
    html = (tmp_path / target.name / INDEX).read_text(encoding="utf-8")
    absolute = [r for r in _REFERENCE.findall(html) if re.match(r"^[a-z]+:|^//", r)]
    assert absolute == [live]
    assert "<h1>Pakistan</h1>" in html


def test_a_snapshot_is_rewritten_only_when_the_data_version_changes(
    tmp_path: Path, data: ExplorerData, vocabulary: Vocabulary
) -> None:
    target = parse_view("/recommendations?rec=gov-blocking", vocabulary)

    def write(version: str) -> bool:
        return write_snapshot(DEFAULT_DATA_DIR, tmp_path, target, data=data, version=version).written

    assert write("aaaa") is True
    page = tmp_path / target.name / INDEX
    assert "Data version aaaa" in page.read_text(encoding="utf-8")
    assert write("aaaa") is False
    assert write("bbbb") is True
    assert "Data version bbbb" in page.read_text(encoding="utf-8")
    assert json.loads((tmp_path / target.name / MANIFEST).read_text(encoding="utf-8"))["data_version"] == "bbbb"
    # The page stands alone: no link to a neighbouring recommendation's page that a snapshot folder lacks.
    assert "Next recommendation" not in page.read_text(encoding="utf-8")


def test_the_live_link_and_address_follow_where_the_folder_is_served(vocabulary: Vocabulary) -> None:
    target = parse_view(LINK, vocabulary)
    assert live_href(target, "snapshot") == "../../map?theme=blocking&region=africa"
    assert live_href(target, DEFAULT_SNAPSHOT_PATH) == "../../../../map?theme=blocking&region=africa"
    assert live_href(parse_view("/", vocabulary), "snapshot") == "../../"
    assert snapshot_url("http://h:8080/", "snapshot", "n") == "http://h:8080/snapshot/n/index.html"


def test_settings_default_to_streamlits_static_folder_and_refuse_odd_paths(tmp_path: Path) -> None:
    default = snapshot_settings({})
    assert default.served_path == "app/static/snapshot" and default.directory.parts[-2:] == ("static", "snapshot")
    chosen = snapshot_settings({SNAPSHOT_DIR_ENV: str(tmp_path), SNAPSHOT_PATH_ENV: "/snapshot/"})
    assert (chosen.directory, chosen.served_path) == (tmp_path, "snapshot")
    for bad in ("../etc", "a b", "x?y", "a//b"):
        with pytest.raises(SnapshotError):
            snapshot_settings({SNAPSHOT_PATH_ENV: bad})


def test_the_cli_writes_the_decks_share_slides_and_refuses_a_page_without_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["snapshot", str(tmp_path), "--served-path", "snapshot"]) == 0
    out = capsys.readouterr().out
    assert "wrote" in out and "/snapshot/map-theme-blocking-region-africa-" in out
    assert len(list(tmp_path.glob("map-theme-blocking-region-africa-*/" + INDEX))) == 1
    assert main(["snapshot", str(tmp_path), "--served-path", "snapshot"]) == 0
    assert "up to date" in capsys.readouterr().out
    assert main(["snapshot", str(tmp_path), "--view", "/about"]) == 2
    assert "no static snapshot" in capsys.readouterr().err
