"""Run the Great Expectations suites of `validators/expectations/` against the release tables.

Suites are data (YAML): a table name and a list of expectations with their arguments. Great
Expectations is imported here only, and only when a build runs these suites. Its result
is reduced to what is deterministic (no run times, ids or library versions), so the
release stays byte-identical.
"""

from __future__ import annotations

import os
import re
import warnings
from dataclasses import dataclass
from pathlib import Path

from ..schemas import ConfigError
from ..yamlsafe import load_text


COLUMN_ARGUMENTS = ("column", "column_A", "column_B")
COLUMN_LIST_ARGUMENTS = ("column_list",)
ROW_COUNT_ONLY = {"expect_table_row_count_to_be_between", "expect_table_row_count_to_equal"}


@dataclass
class Suite:
    table: str
    file: str
    expectations: list  # (class name, kwargs)

    def columns(self) -> list[str] | None:
        """The columns the suite reads, or None when it needs the whole table (an expectation
        about the table's columns, say). Loading only these saves most of the run at scale."""
        needed = set()
        for name, kwargs in self.expectations:
            named = [kwargs[k] for k in COLUMN_ARGUMENTS if k in kwargs] + \
                [c for k in COLUMN_LIST_ARGUMENTS for c in kwargs.get(k, [])]
            # A row condition's names (some are not columns: the loader keeps those that are).
            named += re.findall(r"[A-Za-z_][A-Za-z0-9_]*", kwargs.get("row_condition") or "")
            if not named and name not in ROW_COUNT_ONLY:
                return None
            needed.update(named)
        return sorted(needed)


def _class_name(snake: str) -> str:
    return "".join(part.capitalize() for part in snake.split("_"))


def load_suites(folder: Path, tables: set[str]) -> list[Suite]:
    suites = []
    for path in sorted(folder.glob("*.yaml")):
        shown = f"validators/expectations/{path.name}"
        loaded = load_text(path.read_text(encoding="utf-8"))
        if loaded.problems:
            p = loaded.problems[0]
            raise ConfigError(f"{shown}:{p.line}:{p.column}: {p.message}")
        data = loaded.data or {}
        if not isinstance(data, dict) or data.get("table") not in tables:
            raise ConfigError(f"{shown}: `table` must name a release table ({', '.join(sorted(tables))})")
        items = data.get("expectations")
        if not isinstance(items, list) or not items:
            raise ConfigError(f"{shown}: `expectations` must be a non-empty list")
        expectations = []
        for i, item in enumerate(items):
            if not isinstance(item, dict) or not isinstance(item.get("expectation"), str):
                raise ConfigError(f"{shown}: expectations[{i}] needs an `expectation` name")
            kwargs = {k: v for k, v in item.items() if k != "expectation"}
            expectations.append((item["expectation"], kwargs))
        suites.append(Suite(data["table"], shown, expectations))
    return suites


def run_suites(suites: list[Suite], frames: dict) -> dict:
    """Validate each suite against its table (a pandas DataFrame). Returns a deterministic
    report: {"success": bool, "suites": [...]}."""
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    # A row condition written as text (the suites are YAML) is deprecated from GX 1.9 in favour
    # of Condition objects; it works in every 1.x, the versions pyproject.toml accepts.
    warnings.filterwarnings("ignore", category=DeprecationWarning, message=r".*(row_condition|condition_parser)")
    import great_expectations as gx

    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False, metric_calculations=False)
    source = context.data_sources.add_pandas("forcewatch_release")
    report = {"success": True, "suites": []}
    for suite_spec in suites:
        suite = gx.ExpectationSuite(name=suite_spec.table)
        for name, kwargs in suite_spec.expectations:
            cls = getattr(gx.expectations, _class_name(name), None)
            if cls is None:
                raise ConfigError(f"{suite_spec.file}: unknown expectation `{name}`")
            try:
                suite.add_expectation(cls(**kwargs))
            except Exception as exc:  # pydantic validation of the arguments
                raise ConfigError(f"{suite_spec.file}: `{name}` {kwargs}: {exc}".splitlines()[0]) from None
        asset = source.add_dataframe_asset(f"{suite_spec.table}-{len(report['suites'])}")
        batch = asset.add_batch_definition_whole_dataframe("all").get_batch(
            batch_parameters={"dataframe": frames[suite_spec.table]})
        result = batch.validate(suite).to_json_dict()
        entries = []
        for item in result["results"]:
            config = item["expectation_config"]
            kwargs = {k: v for k, v in sorted(config["kwargs"].items()) if k != "batch_id"}
            outcome = {k: item["result"][k] for k in ("element_count", "unexpected_count", "observed_value",
                                                       "partial_unexpected_list") if k in item["result"]}
            entries.append({"expectation": config["type"], "kwargs": kwargs,
                            "success": bool(item["success"]), "result": outcome})
        ok = bool(result["success"])
        report["success"] = report["success"] and ok
        report["suites"].append({"table": suite_spec.table, "file": suite_spec.file,
                                 "success": ok, "expectations": entries})
    return report
