"""Numbers read from producers' cells: exact, and NaN for anything that is not a finite number."""

from __future__ import annotations

import math
from typing import Any

import numpy as np


def cell_text(value: Any) -> str:
    """A cell as text: '' for missing values."""
    return "" if value is None or (isinstance(value, float) and math.isnan(value)) else str(value)


def parse_number(text: Any) -> float:
    """An exact float from a cell (Python's parser, so values round-trip); NaN unless it is a finite number."""
    if isinstance(text, (int, float, np.number)) and not isinstance(text, bool):
        number = float(text)
    else:
        cleaned = cell_text(text).strip().removeprefix("+")
        try:
            number = float(cleaned)
        except ValueError:
            return float("nan")
    return number if math.isfinite(number) else float("nan")
