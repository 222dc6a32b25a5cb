#!/usr/bin/env bash
# Rebuild the shipped indicator store from the producers' files, through the project's own ingest command.
# Usage: scripts/build_indicators.sh [SHARED_DIR]   (default ../shared). Needs `make` to have created .venv.
set -euo pipefail
cd "$(dirname "$0")/.."
shared="${1:-../shared}"
cli=.venv/bin/igf-explorer

rm -rf data/indicators/.history data/indicators/*.csv
# This WDI file has no "Last Updated Date" preamble; DATA-NOTES.md gives its vintage (November 2024). The period of
# interest (2005 on) is in the dataset's sidecar, so no --years is needed.
$cli ingest "$shared/data-sources/API_IT.NET.USER.ZS_DS2_en_csv_v2_2160.csv" --vintage 2024-11
$cli ingest "$shared/research/fotn_scores.csv"
# Access Now writes plain "Congo" for the 20-21 March 2021 election shutdown: the Republic of the Congo's
# presidential election (its report at accessnow.org/congo-keepiton-election names Airtel, Azur and MTN Congo).
$cli ingest "$shared/data-sources/Keepiton_raw_dataset.xlsx" --override 'Congo=COG'
$cli ingest "$shared/research/wcit12_signatures.csv"
$cli check
