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
# Freedom in the World: year = edition − 1; territories without an ISO 3166 code of their own are left out (named
# in the notes). User data requests: Twitter's "<10" (5.5 in the compilation) is never summed.
$cli ingest "$shared/data-sources/All_data_FIW_2013-2024.xlsx"
$cli ingest "$shared/data-sources/transparency-reports-user-data-requests-2009-2013.csv"
$cli ingest "$shared/research/wassenaar_participating_states.csv"
# Google removal requests: the historical format first (2009–2018; its 2019-06-30 rows are left out), then the current
# one (2019–2025), the CSV inside Google's google-government-removals.zip (the zip itself ingests as downloaded too).
$cli ingest "$shared/data-sources/google-government-removal-requests-historical.csv"
$cli ingest "$shared/data-sources/google-government-removal-requests.csv"
# Company datasets (kind: company). Totals first: its 2020 rows of the platforms equal the year-over-year file's,
# which then adds its notes (RDR's methodology-adjusted changes); its 2019 rows are left out by the format.
$cli ingest "$shared/data-sources/rdr-index2022/2020-totals.csv"
$cli ingest "$shared/data-sources/rdr-index2022/2022-year-over-year.csv"
$cli ingest "$shared/data-sources/rdr-index2022/2022-levels.csv"
$cli ingest "$shared/research/gni_company_membership_timeline.csv"
$cli check
