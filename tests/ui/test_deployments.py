"""The deployments that exist in Prefect are the ones declared: by `newsfigures serve` from
its config, and by prefect.yaml through `prefect deploy` (Prefect ignores unknown keys in
prefect.yaml, so the test reads back what exists). Then a person's view: a triggered run
completes and its page in the Prefect UI is captured in headless Chromium."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from prefect_server import BIN, client_env, wait_for

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds" / "articles"
SCREENSHOT = ROOT / "warehouse" / "reports" / "ui" / "flow-run.png"


def _deployment(api, name: str):
    return api.get(f"/deployments/name/refresh/{name}")


def test_prefect_yaml_declares_the_deployment_that_exists(prefect_server, tmp_path):
    declared = yaml.safe_load((ROOT / "prefect.yaml").read_text(encoding="utf-8"))["deployments"][0]
    pool = declared["work_pool"]["name"]
    if prefect_server.get(f"/work_pools/{pool}") is None:
        prefect_server.post("/work_pools/", {"name": pool, "type": "process"})
    done = subprocess.run([str(BIN / "prefect"), "--no-prompt", "deploy", "--all"], cwd=ROOT,
                          env=client_env(prefect_server, tmp_path), capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr

    deployment = _deployment(prefect_server, declared["name"])
    assert deployment is not None
    assert deployment["entrypoint"] == declared["entrypoint"]
    assert deployment["work_pool_name"] == pool
    assert deployment["parameters"] == declared["parameters"]
    assert [s["schedule"]["cron"] for s in deployment["schedules"]] == [s["cron"] for s in declared["schedules"]]


@pytest.mark.skipif(shutil.which("chromium") is None, reason="Debian's chromium is not installed (.ci/run installs it)")
def test_serve_trigger_watch_and_screenshot(prefect_server, tmp_path):
    articles = tmp_path / "articles"
    shutil.copytree(SEEDS, articles)
    config = tmp_path / "newsfigures.toml"
    config.write_text(f'sources = ["{articles}"]\nwarehouse = "{tmp_path / "w.duckdb"}"\n'
                      f'schedule = "*/30 * * * *"\ndeployment = "ui-test"\nreport_dir = "{tmp_path / "reports"}"\n',
                      encoding="utf-8")
    log = (tmp_path / "serve.log").open("w")
    serving = subprocess.Popen([str(BIN / "newsfigures"), "serve", "--config", str(config)], cwd=ROOT,
                               env=client_env(prefect_server, tmp_path), stdout=log, stderr=subprocess.STDOUT)
    try:
        deployment = wait_for(lambda: _deployment(prefect_server, "ui-test"), 180, "the served deployment")
        assert [s["schedule"]["cron"] for s in deployment["schedules"]] == ["*/30 * * * *"]
        assert deployment["parameters"]["sources"] == [str(articles)]
        assert deployment["parameters"]["warehouse"] == str(tmp_path / "w.duckdb")

        run = prefect_server.post(f"/deployments/{deployment['id']}/create_flow_run", {})
        final = wait_for(lambda: _finished(prefect_server, run["id"]), 300, "the triggered run to finish", every=1)
        assert final["state"]["type"] == "COMPLETED", final["state"]

        artifacts = prefect_server.post("/artifacts/filter", {
            "artifacts": {"flow_run_id": {"any_": [run["id"]]}}, "flow_runs": {}, "task_runs": {},
            "limit": 50, "offset": 0, "sort": "CREATED_DESC"})
        assert {"gate-verdict", "latest-estimates", "new-figures", "estimates-chart"} <= {a["key"] for a in artifacts}
    finally:
        serving.terminate()
        serving.wait(timeout=30)
        log.close()

    page = prefect_server.url.removesuffix("/api") + f"/runs/flow-run/{run['id']}"
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    SCREENSHOT.unlink(missing_ok=True)
    subprocess.run(["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    f"--user-data-dir={tmp_path / 'chromium'}", "--window-size=1500,1000", "--hide-scrollbars",
                    "--virtual-time-budget=20000", f"--screenshot={SCREENSHOT}", page],
                   check=True, capture_output=True, timeout=120)
    assert SCREENSHOT.stat().st_size > 20_000, "the screenshot is (nearly) blank"


def _finished(api, run_id: str):
    run = api.get(f"/flow_runs/{run_id}")
    return run if run and run["state"] and run["state"]["type"] in ("COMPLETED", "FAILED", "CRASHED", "CANCELLED") else None
