"""Ingest and load speed, as ratios against a bare ``pandas.read_csv`` of the same files, measured in one run.

Usage: python benchmarks/ingest_benchmark.py [--rows-scale 1.0]

1. A generated tidy CSV of 200 countries × 50 years × 100 indicators (1,000,000 rows) is ingested into an empty
   store (writing, and as a dry run); each timing is the median of a few runs and is divided by the median of a bare
   ``pd.read_csv`` of the same file. Peak memory of the ingest (RSS above the process's baseline after imports) is
   compared with the file's size.
2. The shipped store is loaded and validated as the app does at start, against a bare read of the same files.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pycountry
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from igf_explorer.indicators import INDICATORS_DIR, load_store  # noqa: E402
from igf_explorer.ingest.pipeline import run_ingest  # noqa: E402


def median_time(function, repeat: int) -> float:  # type: ignore[no-untyped-def]
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        timings.append(time.perf_counter() - start)
    return statistics.median(timings)


def make_store(folder: Path, indicators: int) -> Path:
    data = folder / "data"
    (data / INDICATORS_DIR).mkdir(parents=True)
    sidecar = {
        "id": "bench",
        "file": "bench.csv",
        "indicators": [
            {
                "id": f"bench_{i:03d}",
                "name": f"Benchmark {i}",
                "short_name": f"B{i}",
                "unit": "points",
                "range": [0, 100],
                "direction": "higher_is_freer",
                "themes": ["access"],
            }
            for i in range(indicators)
        ],
    }
    (data / INDICATORS_DIR / "bench.meta.yml").write_text(yaml.safe_dump(sidecar), encoding="utf-8")
    return data


def make_input(folder: Path, countries: int, years: int, indicators: int) -> Path:
    codes = sorted(c.alpha_3 for c in pycountry.countries)[:countries]
    rng = np.random.default_rng(2012)
    index = pd.MultiIndex.from_product(
        [codes, range(1974, 1974 + years), [f"bench_{i:03d}" for i in range(indicators)]]
    )
    frame = index.to_frame(index=False, name=["iso3", "year", "indicator"])
    frame["value"] = rng.uniform(0, 100, len(frame)).round(3)
    frame["status"] = ""
    frame["note"] = ""
    frame["source"] = ""
    path = folder / "input.csv"
    frame.to_csv(path, index=False)
    return path


def peak_rss_of_ingest(path: Path, data: Path, dry_run: bool) -> tuple[int, int]:
    """(baseline, peak) RSS in bytes of a child process that imports everything, then ingests."""
    code = f"""
import resource, sys
sys.path.insert(0, {str(ROOT)!r})
from pathlib import Path
from igf_explorer.ingest.pipeline import run_ingest
import pandas, pandera.pandas, country_converter
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
report = run_ingest(Path({str(path)!r}), Path({str(data)!r}), dry_run={dry_run})
assert report.ok, report.problems[:3]
print(base, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    return int(out[0]) * 1024, int(out[1]) * 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows-scale", type=float, default=1.0, help="scale the 100 indicators (1.0 = 1,000,000 rows)")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    indicators = max(1, int(100 * args.rows_scale))
    results: dict[str, object] = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        data = make_store(folder, indicators)
        path = make_input(folder, 200, 50, indicators)
        size = path.stat().st_size
        rows = 200 * 50 * indicators
        bare = median_time(lambda: pd.read_csv(path), args.repeat)
        run_ingest(path, data, dry_run=True)  # warm imports and caches, as a maintainer's second run would be

        def ingest_fresh() -> None:
            shutil.rmtree(data / INDICATORS_DIR / ".history", ignore_errors=True)
            (data / INDICATORS_DIR / "bench.csv").unlink(missing_ok=True)
            report = run_ingest(path, data)
            assert report.ok and report.written, report.problems[:3]

        dry = median_time(lambda: run_ingest(path, data, dry_run=True), args.repeat)
        full = median_time(ingest_fresh, args.repeat)
        base, peak = peak_rss_of_ingest(path, data, dry_run=False)
        results["generated"] = {"rows": rows, "bytes": size}
        results["bare_read_csv_s"] = round(bare, 3)
        results["ingest_dry_run_s"] = round(dry, 3)
        results["ingest_write_s"] = round(full, 3)
        results["ratio_dry_run"] = round(dry / bare, 2)
        results["ratio_write"] = round(full / bare, 2)
        results["peak_rss_above_baseline_bytes"] = peak - base
        results["memory_ratio_to_file_size"] = round((peak - base) / size, 2)

    shipped = ROOT / "data"
    files = sorted((shipped / INDICATORS_DIR).glob("*.csv"))
    load_store(shipped)  # first call pays pandera's one-time setup, which the app pays once per process
    results["shipped_store"] = {
        "files": len(files),
        "rows": int(sum(len(pd.read_csv(f)) for f in files)),
        "bare_read_csv_s": round(median_time(lambda: [pd.read_csv(f) for f in files], 5), 4),
        "load_and_validate_s": round(median_time(lambda: load_store(shipped), 5), 4),
    }
    results["python_maxrss_bytes"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
