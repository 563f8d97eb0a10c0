"""The `newsfigures` command line: run, validate, evaluate."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from flows.paths import DEFAULT_SOURCE, DEFAULT_WAREHOUSE


def _evaluate(args) -> int:
    from flows.evaluate import evaluate, read_gold

    gold = read_gold(args.gold)
    if args.source:
        from flows.extract.dates import format_as_of
        from flows.extract import extract_figures
        from flows.ingest.article import Article
        from flows.ingest.folder import read_folder

        predicted, languages = [], {}
        for item in read_folder(args.source):
            if isinstance(item, Article):
                languages[item.name] = item.language
                for f in extract_figures(item.text, item.language, item.published_at):
                    predicted.append({"article": item.name, **vars(f), "as_of": format_as_of(f.as_of_date, f.as_of_precision)})
    else:
        from flows.warehouse.queries import figures_for_evaluation

        predicted, languages = figures_for_evaluation(args.warehouse)
    result = evaluate(predicted, gold, languages)
    print(json.dumps(result.as_dict(), indent=2, default=str) if args.json else result.render())
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="newsfigures", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    ev = sub.add_parser("evaluate", help="precision, recall and F1 of extracted figures against a gold CSV")
    ev.add_argument("--gold", type=Path, required=True, help="gold figures, in the format of shared/gold/seed_figures.csv")
    ev.add_argument("--warehouse", type=Path, default=DEFAULT_WAREHOUSE, help="warehouse whose core.figures is scored")
    ev.add_argument("--source", type=Path, help="score a folder of articles directly, without a warehouse")
    ev.add_argument("--json", action="store_true", help="print JSON instead of a table")
    ev.set_defaults(handler=_evaluate)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.handler(args)


if __name__ == "__main__":
    sys.exit(main())
