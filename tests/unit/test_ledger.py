"""The DuckDB ledger a run sorts its items against, a chunk at a time: it sorts them exactly
as one pass over everything in memory would, and waits for a locked warehouse, then says so."""

import random
import subprocess
import sys
from datetime import date

import duckdb
import pytest

from flows.ingest.article import Article
from flows.ingest.discover import Discoverer, MemoryLedger, discover_in_batches
from flows.warehouse.connection import WarehouseLocked
from flows.warehouse.ledger import DuckDBLedger

WORDS = ("troops soldiers border convoy report ministry officials said sent about thousand more "
         "northern region fighting losses claimed agency briefing lawmakers train ship workers "
         "wounded killed deployed estimate figures week month spokesman statement analysts").split()


def story(seed: int, length: int = 120) -> str:
    """A text of its own: different seeds share almost no four-word shingles."""
    rng = random.Random(seed)
    return " ".join(rng.choice(WORDS) for _ in range(length))


def reworded(text: str) -> str:
    """The same story with a new closing line: a near-duplicate."""
    return " ".join(text.split()[:-5] + ["read", "more", "on", "our", "website"])


def items() -> list[Article]:
    """Stories, their exact copies and syndicated rewordings, shuffled: a copy may come
    before or after its story, in the same chunk or a later one."""
    out = []
    for n in range(30):
        text = story(n)
        dated = date(2025, 1 + n % 12, 1 + n % 28) if n % 3 else None
        out += [Article(f"story-{n}.txt", text, published_at=dated),
                Article(f"copy-{n}.txt", text),
                Article(f"reprint-{n}.txt", reworded(text)),
                Article(f"again-{n}.txt", reworded(text))]      # an exact copy of the reprint
    random.Random(7).shuffle(out)
    return out


def outcomes(found) -> list[tuple]:
    return [(o.source_uri, o.outcome, o.article_id, o.duplicate_of) for o in found.outcomes]


def test_sorting_a_chunk_at_a_time_in_duckdb_matches_one_pass_in_memory(tmp_path):
    in_memory = Discoverer(MemoryLedger()).sort(items())
    assert {o.outcome for o in in_memory.outcomes} == {"loaded", "duplicate"}
    assert len(in_memory.near) == 30 and len(in_memory.copies) == 60     # every rewording linked

    with DuckDBLedger.open(tmp_path, tmp_path / "no-warehouse-yet.duckdb", lock_timeout=1) as ledger:
        chunks = list(discover_in_batches(items(), Discoverer(ledger), batch_size=7))
    assert len(chunks) > 10
    assert [row for chunk in chunks for row in outcomes(chunk)] == outcomes(in_memory)
    dates = {a.source_uri: a.published_at for chunk in chunks for a in chunk.new}
    assert dates == {a.source_uri: a.published_at for a in in_memory.new}
    # an undated reprint takes its story's date, wherever the two fell
    assert any(uri.startswith("reprint") and d is not None for uri, d in dates.items())


def test_a_warehouse_locked_by_a_writer_is_waited_for_then_named(tmp_path):
    warehouse = tmp_path / "w.duckdb"
    duckdb.connect(str(warehouse)).close()
    holder = subprocess.Popen([sys.executable, "-c", "import duckdb, sys, time\n"
                               f"con = duckdb.connect({str(warehouse)!r}); print('held', flush=True); time.sleep(60)"],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        with DuckDBLedger.open(tmp_path, warehouse, lock_timeout=0.5) as ledger:
            with pytest.raises(WarehouseLocked, match=str(warehouse)):
                with ledger.session():
                    pass
    finally:
        holder.kill()
        holder.wait()
