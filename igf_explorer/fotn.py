"""Freedom on the Net's 2019 inversion: which scale an edition was published on, as ingest records it.

Everything else about the scales is metadata: each edition's ``scale`` in the FOTN sidecar, converted for display in
:mod:`igf_explorer.scales` by the indicators' ranges.
"""

from __future__ import annotations

# Editions 2009–2018 were published with 0 = most free; from 2019, 100 = most free (pillar maxima stay 25/35/40).
FIRST_HIGHER_IS_FREER_EDITION = 2019


def published_scale(edition: int) -> str:
    """The scale Freedom House published an edition on (what ingest records in each edition's ``scale``)."""
    return "higher_is_freer" if edition >= FIRST_HIGHER_IS_FREER_EDITION else "lower_is_freer"
