"""Ingest: read a producer's file, validate it, resolve country names and merge it into the indicator store.

Stages: :mod:`.reading` (bytes → text or workbook, with limits) → :mod:`.adapters` (format → long records) →
:mod:`.pipeline` (validate → harmonize names → aggregate → diff) → :mod:`.store` (atomic write + history).
"""
