"""Benchmark results as files: JSON for machines, a markdown table for the README, and a
table of how each step's cost grows with N from every size kept in the results folder."""

from __future__ import annotations

import json
from pathlib import Path

STEPS = ("read", "extract", "gate", "publish")
# read runs in the flow's process while earlier batches are extracted and gated in the
# workers: extract and gate are busy seconds summed over workers (articles/s per core);
# extract_wall is the wall time the run spent on extraction beyond reading
STEP_LABELS = {"read": "read and stage (flow process)", "extract": "extract (busy s, all workers)",
               "gate": "gate figures (busy s, all workers)", "publish": "publish (one transaction, marts)"}
GOAL_SECONDS_100K = 180
GOAL_NOTHING_NEW_SECONDS = 5
GOAL_PEAK_MB = 1536


def goals(results: dict) -> dict[str, str]:
    """Issue 7's goals, each 'met', 'missed' or 'not measured' with the number behind it."""
    first, n = results["first_run"], results["articles"]
    # judged alone, as the regex is timed; results from before that measure have only the in-run share
    share = results["baseline"].get("extraction_alone_share", results["baseline"]["extraction_share"])
    floor = results["baseline"].get("number_scans_share")
    ceiling = f"; finding the numbers alone, no judgement: {floor:.0%}" if floor is not None else ""
    out = {"extraction >= half the bare-regex baseline": f"{'met' if share >= 0.5 else 'missed'} ({share:.1%}{ceiling})"}
    total = first["total_seconds"]
    out["100,000 new articles end to end < 3 min"] = (
        f"{'met' if total < GOAL_SECONDS_100K else 'missed'} ({total:.0f} s)" if n >= 100_000
        else f"not measured at N={n:,} ({total:.1f} s)")
    again, redone = results["nothing_new_run"]["total_seconds"], results["nothing_new_run"].get("articles_extracted", 0)
    out["nothing-new refresh < 5 s"] = (
        f"not measured: the second run re-extracted {redone:,} articles ({again:.1f} s)" if redone
        else f"{'met' if again < GOAL_NOTHING_NEW_SECONDS else 'missed'} ({again:.1f} s)")
    peak = results["peak_rss_mb"]
    out["peak memory < 1.5 GB"] = f"{'met' if peak < GOAL_PEAK_MB else 'missed'} ({peak:.0f} MB)"
    return out


def render_markdown(results: dict) -> str:
    first, again, n = results["first_run"], results["nothing_new_run"], results["articles"]
    rate = first["articles_per_second"]
    lines = [f"### N = {n:,} articles ({results['corpus']['figures']:,} gold figures, "
             f"{len(results['corpus']['languages'])} languages), {results['machine']}, "
             f"commit {results.get('commit', 'unknown')}, {results['measured_at'][:10]}",
             "",
             "| step | seconds | articles/s |",
             "| --- | ---: | ---: |"]
    lines += [f"| {STEP_LABELS[step]} | {first['seconds'][step]:.2f} | {rate[step]:,.0f} |" for step in STEPS]
    if "extract_wall" in first["seconds"]:
        lines.append(f"| extraction wall time beyond reading ({results.get('extraction_workers', '?')} workers) "
                     f"| {first['seconds']['extract_wall']:.2f} | |")
    lines += [f"| report and Prefect overhead | {first['other_seconds']:.2f} | |",
              f"| **total (new articles)** | **{first['total_seconds']:.2f}** | **{rate['total']:,.0f}** |",
              f"| nothing-new refresh | {again['total_seconds']:.2f} | |",
              "",
              f"- bare regex `\\d+` over the same texts: {results['baseline']['regex_articles_per_second']:,.0f} "
              f"articles/s on one core; extraction runs at {results['baseline']['extraction_share']:.2%} of it per core "
              f"in the run (workers sharing the cores with reading){_alone(results['baseline'])}",
              *_scans(results["baseline"]),
              f"- peak memory (flow process and extraction workers together, sampled): "
              f"{results['peak_rss_mb']:,.0f} MB; warehouse file "
              f"{results.get('warehouse_mb', float('nan')):,.0f} MB",
              f"- task runs in the first run (Prefect API): {first['task_runs']} for "
              f"{first['extraction_batches']} extraction batches of up to {results['batch_size']:,} articles"]
    for label, run in (("new articles (Prefect API; overlapping extraction batches add up to more than the "
                        "wall time)", first), ("nothing new", again)):
        if run.get("task_seconds"):
            lines.append(f"- seconds per task, {label}: "
                         + ", ".join(f"{task} {sec:.2f}" for task, sec in run["task_seconds"].items()))
    lines.append(f"- Prefect start-up (ephemeral server, not counted above): {results['prefect_startup_seconds']:.1f} s")
    q, ours = results.get("quantulum3"), results.get("newsfigures_english")
    if q:
        lines.append(f"- quantulum3 on the {q['articles']:,} English articles: {q['articles_per_second']:,.0f} "
                     f"articles/s, found {q['recall']:.1%} of the gold figures' numbers "
                     f"(plus {q['load_seconds']:.1f} s to load)")
    if ours:
        lines.append(f"- newsfigures on the same English articles: {ours['recall']:.1%} of the gold figures' "
                     f"numbers in core.figures")
    if results.get("note"):
        lines.append(f"- note: {results['note']}")
    lines += ["", "| goal | result |", "| --- | --- |"]
    lines += [f"| {goal} | {verdict} |" for goal, verdict in goals(results).items()]
    return "\n".join(lines) + "\n"


def _alone(baseline: dict) -> str:
    if "extraction_alone_share" not in baseline:
        return ""
    return (f", {baseline['extraction_alone_share']:.2%} alone ({baseline['extraction_alone_articles_per_second']:,.0f} "
            f"articles/s over {baseline['extraction_alone_articles']:,} articles, one core, nothing else running)")


def _scans(baseline: dict) -> list[str]:
    if "number_scans_share" not in baseline:
        return []
    return [f"- the regex passes that only find the numbers (digits, number words, vague magnitudes), "
            f"no judgement: {baseline['number_scans_articles_per_second']:,.0f} articles/s, "
            f"{baseline['number_scans_share']:.1%} of the bare regex: the ceiling of any extractor on Python's `re`"]


def render_scaling(all_results: list[dict]) -> str:
    """Seconds per step for every N measured, and what one more article costs at each size."""
    ordered = sorted(all_results, key=lambda r: r["articles"])
    lines = ["| N | " + " | ".join(f"{s} s" for s in STEPS)
             + " | total s | articles/s | nothing-new s | peak MB | commit |",
             "| ---: |" + " ---: |" * (len(STEPS) + 4) + " --- |"]
    for r in ordered:
        first, again = r["first_run"], r["nothing_new_run"]
        nothing_new = (f"({again['total_seconds']:.0f}: re-extracted)" if again.get("articles_extracted")
                       else f"{again['total_seconds']:.1f}")
        lines.append(f"| {r['articles']:,} | " + " | ".join(f"{first['seconds'][s]:.1f}" for s in STEPS)
                     + f" | {first['total_seconds']:.1f} | {first['articles_per_second']['total']:,.0f}"
                     f" | {nothing_new} | {r['peak_rss_mb']:,.0f} | {r.get('commit', '?').split()[0]} |")
    return "\n".join(lines) + "\n"


def write_results(results: dict, out: Path) -> list[Path]:
    """latest.json and latest.md, the same per N (n<N>.json, .md), and scaling.md over every N kept."""
    out.mkdir(parents=True, exist_ok=True)
    markdown = render_markdown(results)
    document = json.dumps(results, indent=2, sort_keys=True) + "\n"
    written = []
    for stem in ("latest", f"n{results['articles']}"):
        for suffix, text in ((".json", document), (".md", markdown)):
            path = out / f"{stem}{suffix}"
            path.write_text(text, encoding="utf-8")
            written.append(path)
    sizes = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(out.glob("n*.json"))]
    scaling = out / "scaling.md"
    scaling.write_text(render_scaling(sizes), encoding="utf-8")
    return written + [scaling]
