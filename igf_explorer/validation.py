"""Run pandera schemas lazily and turn every failure case into a located :class:`Problem`."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors

from igf_explorer.problems import Problem


def failure_cases_to_problems(failure_cases: pd.DataFrame, file: str, row_offset: int = 1) -> list[Problem]:
    """Convert pandera's ``failure_cases`` table to problems; rows count data rows from ``row_offset``."""
    problems = []
    for case in failure_cases.to_dict("records"):
        column = case["column"] if isinstance(case["column"], str) else None
        index = case["index"]
        row = int(index) + row_offset if index is not None and not pd.isna(index) else None
        check = str(case["check"])
        failure = case["failure_case"]
        if check == "column_in_dataframe":
            message = f"required column '{failure}' is missing"
            column = str(failure)
        elif check == "column_in_schema":
            message = f"unexpected column '{failure}'"
            column = str(failure)
        elif check == "not_nullable":
            message = "value is missing"
        elif check.startswith("field_uniqueness") or check == "unique" or "duplicates" in check:
            message = f"duplicate value {failure!r}"
        else:
            message = f"value {failure!r} fails check {check}"
        problems.append(Problem(file, message, row=row, column=column))
    return problems


def validate_frame(
    frame: pd.DataFrame, schema: pa.DataFrameSchema, file: str
) -> tuple[pd.DataFrame | None, list[Problem]]:
    """Validate with ``lazy=True`` so that every problem is reported at once."""
    try:
        return schema.validate(frame, lazy=True), []
    except SchemaErrors as exc:
        return None, failure_cases_to_problems(exc.failure_cases, file)
