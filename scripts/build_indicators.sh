#!/usr/bin/env bash
# Rebuild the shipped indicator store from the producers' files, through the project's own ingest command.
# Usage: scripts/build_indicators.sh [SHARED_DIR]   (default ../shared). Needs `make` to have created .venv.
set -euo pipefail
cd "$(dirname "$0")/.."
shared="${1:-../shared}"
cli=.venv/bin/igf-explorer

rm -rf data/indicators/.history data/indicators/*.csv
$cli ingest "$shared/data-sources/API_IT.NET.USER.ZS_DS2_en_csv_v2_2160.csv" --years 2005-2023
$cli ingest "$shared/research/fotn_scores.csv"
$cli ingest "$shared/data-sources/Keepiton_raw_dataset.xlsx"
$cli ingest "$shared/research/wcit12_signatures.csv"
$cli check
