"""Ingest: read a producer's file, validate it, resolve country names and merge it into the indicator store.

Stages: :mod:`.reading` (bytes → text or workbook, with limits) → :mod:`.formats` (one module per producer layout →
located records) → :mod:`.stages` (validate → resolve names → check periods → select years → collapse → gate) →
:mod:`.merge` (the maintainer's merge rule, and the diff) → :mod:`.history` (one atomic, locked, recorded commit).
:mod:`.pipeline` runs them with one failure path; :mod:`.report` turns the outcome into text.
"""
