"""The Dask engine: the same per-article work on a `dask.distributed` cluster.

Rule files travel with the tasks (as text, materialized once per worker in a
temporary folder), so workers need no shared file system; Kiwi and the
compiled rules are created lazily once per worker process, since a Kiwi object
cannot be pickled.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipeline.reading import Article

if TYPE_CHECKING:
    from pipeline.runner import RunOptions

RulePack = tuple[tuple[tuple[str, str], ...], ...]
_WORKER_STATE: dict[str, Any] = {}


def pack_rules(dirs: list[Path]) -> RulePack:
    """Rule folders as (file name, text) pairs, in layering order."""
    return tuple(
        tuple((p.name, p.read_text(encoding="utf-8")) for p in sorted(Path(d).glob("*.yaml")))
        for d in dirs
    )


def _materialize(pack: RulePack) -> list[Path]:
    digest = hashlib.sha256(repr(pack).encode()).hexdigest()[:16]
    root = Path(tempfile.gettempdir()) / f"kdeal-rules-{digest}"
    dirs = []
    for i, files in enumerate(pack):
        folder = root / f"layer{i}"
        folder.mkdir(parents=True, exist_ok=True)
        for name, text in files:
            target = folder / name
            if not target.exists() or target.read_text(encoding="utf-8") != text:
                target.write_text(text, encoding="utf-8")
        dirs.append(folder)
    return dirs


def process_on_worker(article: Article, pack: RulePack,
                      published: dt.date | None) -> tuple[str, Any]:
    """Dask task: load rules and Kiwi on first use in this worker, then process."""
    from pipeline import runner

    key = hashlib.sha256(repr((pack, published)).encode()).hexdigest()
    if _WORKER_STATE.get("key") != key:
        runner.init_worker(_materialize(pack), published)
        _WORKER_STATE["key"] = key
    return runner.process_one(article)


def dask_results(articles: Iterator[Article], options: RunOptions
                 ) -> Iterator[tuple[Article, tuple[str, Any]]]:
    """Submit articles to the cluster, a bounded number at a time, yielding results."""
    from dask.distributed import Client, LocalCluster, as_completed

    cluster = None
    if options.scheduler:
        client = Client(options.scheduler)
    else:
        cluster = LocalCluster(n_workers=max(1, options.jobs), threads_per_worker=1,
                               processes=True, dashboard_address=None)
        client = Client(cluster)
    try:
        pack = client.scatter(pack_rules(options.rule_dirs), broadcast=True)
        limit = max(8, sum(client.nthreads().values()) * 4)
        futures: dict[Any, Article] = {}
        queue = as_completed()
        for article in articles:
            future = client.submit(process_on_worker, article, pack, options.published,
                                   pure=False)
            futures[future] = article
            queue.add(future)
            while len(futures) >= limit:
                done = next(queue)
                yield futures.pop(done), done.result()
        for done in queue:
            yield futures.pop(done), done.result()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
