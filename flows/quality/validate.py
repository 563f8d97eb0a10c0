"""Every contract against an existing warehouse: the CI data-validation check."""

from __future__ import annotations

from dataclasses import dataclass, field

import duckdb
import pandera.polars as pa

from schemas.articles import ArticleContract
from schemas.audit import ItemContract, RunContract
from schemas.figures import FigureContract, QuarantinedFigureContract
from schemas.marts import ClaimContract, EstimateRangeContract, TimelineContract

# (name, query, contract)
TABLE_CONTRACTS = [
    ("raw.articles", "select * from raw.articles", ArticleContract),
    ("core.figures",
     """select f.*, a.text as article_text, a.published_at as article_published_at
        from core.figures f left join raw.articles a using (article_id)""", FigureContract),
    ("quarantine.figures", "select * from quarantine.figures", QuarantinedFigureContract),
    ("audit.runs", "select * from audit.runs", RunContract),
    ("audit.items", "select * from audit.items", ItemContract),
    ("marts.estimate_ranges", "select * from marts.estimate_ranges", EstimateRangeContract),
    ("marts.claims", "select * from marts.claims", ClaimContract),
    ("marts.estimate_timeline", "select * from marts.estimate_timeline", TimelineContract),
]

# (name, query returning offending rows)
RELATIONSHIPS = [
    ("every figure's article exists",
     "select figure_id from core.figures where article_id not in (select article_id from raw.articles)"),
    ("every quarantined figure's article exists",
     "select figure_id from quarantine.figures where article_id not in (select article_id from raw.articles)"),
    ("no figure is both published and quarantined",
     "select figure_id from core.figures where figure_id in (select figure_id from quarantine.figures)"),
    ("every claim traces back to figures",
     """select claim_id from marts.claims, unnest(figure_ids) as t(figure_id)
        where figure_id not in (select figure_id from core.figures)"""),
    ("every figure is in exactly one claim",
     """select figure_id from core.figures
        where figure_id not in (select unnest(figure_ids) from marts.claims)"""),
]


@dataclass
class CheckResult:
    name: str
    rows: int
    violations: int
    examples: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return self.violations == 0


def validate_warehouse(con: duckdb.DuckDBPyConnection, examples: int = 5) -> list[CheckResult]:
    results = []
    for name, query, contract in TABLE_CONTRACTS:
        try:
            frame = con.execute(query).pl()
        except duckdb.CatalogException as exc:
            results.append(CheckResult(name, 0, 1, [f"table missing: {exc}"]))
            continue
        try:
            contract.validate(frame, lazy=True)
            results.append(CheckResult(name, frame.height, 0))
        except pa.errors.SchemaErrors as exc:
            cases = exc.failure_cases
            shown = [f"{r['check']} on {r['column']}: {str(r['failure_case'])[:80]} (row {r['index']})"
                     for r in cases.head(examples).iter_rows(named=True)]
            results.append(CheckResult(f"{name} ({contract.__name__})", frame.height, cases.height, shown))
    for name, query in RELATIONSHIPS:
        try:
            bad = con.execute(query).fetchall()
        except duckdb.CatalogException as exc:
            results.append(CheckResult(name, 0, 1, [f"table missing: {exc}"]))
            continue
        results.append(CheckResult(name, 0, len(bad), [str(b[0]) for b in bad[:examples]]))
    return results


def render(results: list[CheckResult]) -> str:
    lines = []
    for r in results:
        mark = "PASS" if r.passed else "FAIL"
        size = f"{r.rows} rows" if r.rows else ""
        lines.append(f"{mark}  {r.name:<55} {size:>12}  {'' if r.passed else f'{r.violations} violations'}")
        lines += [f"        {e}" for e in r.examples]
    failed = sum(not r.passed for r in results)
    lines.append(f"{len(results) - failed} passed, {failed} failed")
    return "\n".join(lines)


def junit_xml(results: list[CheckResult]) -> str:
    """The report as JUnit XML, one test case per check, for CI systems."""
    from xml.etree import ElementTree as ET

    suite = ET.Element("testsuite", name="newsfigures.validate", tests=str(len(results)),
                       failures=str(sum(not r.passed for r in results)))
    for r in results:
        case = ET.SubElement(suite, "testcase", classname="newsfigures.contracts", name=r.name)
        if not r.passed:
            failure = ET.SubElement(case, "failure", message=f"{r.violations} violations")
            failure.text = "\n".join(r.examples)
    return ET.tostring(ET.ElementTree(suite).getroot(), encoding="unicode", xml_declaration=True)
