"""The `newsfigures` command line: run, serve, report, validate, evaluate, quarantine.

Exit codes: 0 success; 1 the gate refused the run, or a contract is violated; 2 the input,
the warehouse or the arguments could not be used (the reason is on stderr).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from flows.paths import DEFAULT_SOURCE, DEFAULT_WAREHOUSE, ROOT

BENCH_RESULTS = ROOT / "tests" / "benchmarks" / "results"

# no network here for telemetry; set before prefect is imported
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
# the ephemeral server migrates its database on first start: slow on a busy 2-core machine
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180")


def _fail(message: str, code: int = 2) -> int:
    print(f"newsfigures: {message}", file=sys.stderr)
    return code


def _settings(args):
    from flows.settings import load_settings

    return load_settings(args.config, sources=tuple(getattr(args, "source", None) or ()),
                         warehouse=_text(getattr(args, "warehouse", None)),
                         max_quarantine_share=getattr(args, "max_quarantine_share", None),
                         min_gate_sample=getattr(args, "min_gate_sample", None),
                         lock_timeout=getattr(args, "lock_timeout", None),
                         dask_address=getattr(args, "dask_address", None), workers=getattr(args, "workers", None),
                         schedule=getattr(args, "schedule", None), deployment=getattr(args, "name", None))


def _text(value) -> str | None:
    return None if value is None else str(value)


def _run(args) -> int:
    from flows.ingest.folder import SourceError
    from flows.deploy import flow_for
    from flows.quality.gate import GateFailed
    from flows.settings import ConfigError
    from flows.warehouse.connection import WarehouseLocked, WarehouseOutOfMemory

    s = None
    try:
        s = _settings(args)
        summary = flow_for(s)(**s.flow_parameters(), report_dir=s.report_dir)
    except GateFailed as exc:
        return _fail(f"the gate refused the run: {exc}", 1)
    except (SourceError, WarehouseLocked, WarehouseOutOfMemory, ConfigError) as exc:
        return _fail(str(exc))
    except OSError as exc:
        if s is None or not s.dask_address:
            raise
        return _fail(f"the Dask scheduler at {s.dask_address} could not be used ({exc}); start it "
                     "(`dask scheduler`, then `dask worker ADDRESS` on each machine) or run without --dask-address")
    print(summary.render())
    return 0


def _serve(args) -> int:
    from flows.deploy import serve
    from flows.settings import ConfigError

    try:
        s = _settings(args)
    except ConfigError as exc:
        return _fail(str(exc))
    print(f"serving deployment refresh/{s.deployment} on '{s.schedule}' with sources {', '.join(s.sources)}; "
          "Ctrl-C stops")
    serve(s)
    return 0


def _report(args) -> int:
    from flows.charts.estimates import write_report
    from flows.settings import ConfigError
    from flows.warehouse.connection import WarehouseMissing, connect

    try:
        s = _settings(args)
        with connect(Path(s.warehouse), read_only=True) as con:
            report = write_report(con, Path(args.out or s.report_dir))
    except (WarehouseMissing, ConfigError) as exc:
        return _fail(str(exc))
    print(f"chart of {report.figures} figures: {report.html} (offline HTML) and {report.png}")
    return 0


def _validate(args) -> int:
    from flows.quality.validate import render, validate_warehouse
    from flows.warehouse.connection import WarehouseMissing, connect

    try:
        with connect(args.warehouse, read_only=True) as con:
            results = validate_warehouse(con)
    except WarehouseMissing as exc:
        return _fail(str(exc))
    print(render(results))
    if args.junit:
        from flows.quality.validate import junit_xml

        args.junit.parent.mkdir(parents=True, exist_ok=True)
        args.junit.write_text(junit_xml(results), encoding="utf-8")
    return 0 if all(r.passed for r in results) else 1


def _quarantine(args) -> int:
    from flows.warehouse.connection import WarehouseMissing, connect

    query = """
        select q.run_id, r.started_at, a.source_uri, q.metric, q.value_low, q.value_high,
               q.qualifier, q.quote, q.dq_reasons
        from quarantine.figures q
        left join raw.articles a on a.article_id = q.article_id
        left join audit.runs r on r.run_id = q.run_id
        where ?::varchar is null or q.run_id = ?::varchar
        order by r.started_at desc, a.source_uri, q.char_start
    """
    try:
        with connect(args.warehouse, read_only=True) as con:
            rows = con.execute(query, [args.run, args.run]).pl()
    except WarehouseMissing as exc:
        return _fail(str(exc))
    if args.json:
        print(rows.write_json())
        return 0
    if not rows.height:
        print("nothing in quarantine")
        return 0
    for r in rows.iter_rows(named=True):
        value = r["value_low"] if r["value_low"] == r["value_high"] else f"{r['value_low']}..{r['value_high']}"
        print(f"{r['source_uri']}  [{r['metric']} {value} {r['qualifier']}]  \"{r['quote']}\"\n"
              f"    why: {r['dq_reasons']}\n    run: {r['run_id']} ({r['started_at']})")
    print(f"{rows.height} figures in quarantine; fix the lexicon or the input, and the next run releases "
          "what then passes")
    return 0


def _evaluate(args) -> int:
    from flows.evaluate import evaluate, predict_folder, read_corpus, read_gold

    try:
        if args.corpus:
            predicted, gold, languages = read_corpus(args.corpus)
        else:
            if not args.gold:
                return _fail("evaluate needs --gold CSV (or --corpus DIR)")
            gold = read_gold(args.gold)
            if args.source:
                predicted, languages = predict_folder(args.source)
            else:
                from flows.warehouse.queries import figures_for_evaluation

                predicted, languages = figures_for_evaluation(args.warehouse)
    except (OSError, ValueError) as exc:
        return _fail(str(exc))
    result = evaluate(predicted, gold, languages)
    print(json.dumps(result.as_dict(), indent=2, default=str) if args.json else result.render())
    return 0


def _bench_generate(args) -> int:
    from flows.bench.generate import generate_corpus

    if args.articles < 1:
        return _fail("--articles must be at least 1")
    summary = generate_corpus(args.articles, args.out)
    print(f"wrote {summary['articles']} articles with {summary['figures']} gold figures in "
          f"{len(summary['languages'])} languages to {args.out} (manifest.csv, gold.csv)")
    return 0


def _bench_run(args) -> int:
    from flows.bench.report import render_markdown, write_results
    from flows.bench.run import run_benchmark

    if args.articles < 1:
        return _fail("--articles must be at least 1")
    results = run_benchmark(args.articles, batch_size=args.batch_size, work=args.work,
                            with_quantulum=not args.no_quantulum)
    written = write_results(results, args.out)
    print(render_markdown(results))
    print("results: " + ", ".join(str(p) for p in written))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="newsfigures", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    config = argparse.ArgumentParser(add_help=False)
    config.add_argument("--config", type=Path, help="a TOML file of settings (see README: Configuration)")

    run = sub.add_parser("run", parents=[config], help="one run of the refresh flow")
    run.add_argument("--source", action="append", metavar="SOURCE",
                     help="folder, file, glob or http(s) URL of pages or a feed; repeat for several "
                          "(default: seeds/articles)")
    run.add_argument("--warehouse", type=Path, help="DuckDB file (default: warehouse/newsfigures.duckdb)")
    run.add_argument("--max-quarantine-share", type=float,
                     help="refuse the run above this share of quarantined figures (default 0.25)")
    run.add_argument("--min-gate-sample", type=int,
                     help="apply the quarantine share only to runs with at least this many figures (default 20)")
    run.add_argument("--lock-timeout", type=float, help="seconds to wait for another run's lock (default 30)")
    run.add_argument("--dask-address", help="run extraction on this Dask scheduler (tcp://host:8786)")
    run.add_argument("--workers", type=int, help="extraction processes (default: one per core; 1: none)")
    run.set_defaults(handler=_run)

    srv = sub.add_parser("serve", parents=[config], help="serve the refresh flow on a schedule (Prefect deployment)")
    srv.add_argument("--source", action="append", metavar="SOURCE")
    srv.add_argument("--warehouse", type=Path)
    srv.add_argument("--schedule", help="cron schedule (default hourly: '0 * * * *')")
    srv.add_argument("--name", help="deployment name (default newsfigures-refresh)")
    srv.add_argument("--dask-address", help="run extraction on this Dask scheduler (tcp://host:8786)")
    srv.add_argument("--workers", type=int, help="extraction processes (default: one per core; 1: none)")
    srv.set_defaults(handler=_serve)

    rep = sub.add_parser("report", parents=[config], help="chart of estimate ranges over time: HTML and PNG")
    rep.add_argument("--warehouse", type=Path)
    rep.add_argument("--out", type=Path, help="folder to write estimates.html and estimates.png (default warehouse/reports)")
    rep.set_defaults(handler=_report)

    val = sub.add_parser("validate", help="every contract against an existing warehouse (the CI check)")
    val.add_argument("--warehouse", type=Path, default=DEFAULT_WAREHOUSE)
    val.add_argument("--junit", type=Path, help="also write the report as JUnit XML to this file")
    val.set_defaults(handler=_validate)

    qua = sub.add_parser("quarantine", help="the figures held back by the contracts, with their reasons")
    qua.add_argument("--warehouse", type=Path, default=DEFAULT_WAREHOUSE)
    qua.add_argument("--run", help="only this run's")
    qua.add_argument("--json", action="store_true")
    qua.set_defaults(handler=_quarantine)

    ev = sub.add_parser("evaluate", help="precision, recall and F1 of extracted figures against a gold CSV")
    ev.add_argument("--gold", type=Path, help="gold figures, in the format of shared/gold/seed_figures.csv")
    ev.add_argument("--warehouse", type=Path, default=DEFAULT_WAREHOUSE, help="warehouse whose core.figures is scored")
    ev.add_argument("--source", type=Path, help="score a folder of articles directly, without a warehouse")
    ev.add_argument("--corpus", type=Path,
                    help="score a test corpus: one folder per language, each with gold.csv (tests/corpus)")
    ev.add_argument("--json", action="store_true", help="print JSON instead of a table")
    ev.set_defaults(handler=_evaluate)

    bench = sub.add_parser("bench", help="synthetic corpus and the measured refresh over it")
    bench_sub = bench.add_subparsers(dest="bench_command", required=True)
    gen = bench_sub.add_parser("generate", help="write a synthetic corpus: articles, manifest.csv, gold.csv")
    gen.add_argument("--articles", type=int, required=True, metavar="N")
    gen.add_argument("--out", type=Path, required=True, metavar="DIR")
    gen.set_defaults(handler=_bench_generate)
    brun = bench_sub.add_parser("run", help="generate N articles in a temporary folder and time the real flow on them")
    brun.add_argument("--articles", type=int, required=True, metavar="N")
    brun.add_argument("--out", type=Path, default=BENCH_RESULTS, metavar="RESULTS_DIR",
                      help="where latest.json/.md, n<N>.json/.md and scaling.md go (default tests/benchmarks/results)")
    brun.add_argument("--batch-size", type=int, help="articles per extraction task run (default: the settings')")
    brun.add_argument("--work", type=Path, help="folder for the temporary corpus and warehouse (default: the system's)")
    brun.add_argument("--no-quantulum", action="store_true", help="skip the quantulum3 comparison")
    brun.set_defaults(handler=_bench_run)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.handler(args)
    except BrokenPipeError:          # `newsfigures evaluate ... | head`: the reader left, not an error
        sys.stderr.close()
        return 0


if __name__ == "__main__":
    sys.exit(main())
