"""Reloading the data again and again keeps memory flat: old records are freed, not frozen forever."""

from __future__ import annotations

import gc
import tracemalloc

from allytui.store.repo import DataRepo
from allytui.tui.app import AllytuiApp
from tests.ui.conftest import TODAY, settle

RELOADS = 12


async def test_reloads_keep_the_frozen_set_and_memory_flat(sample_repo: DataRepo) -> None:
    app = AllytuiApp(sample_repo, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        frozen: list[int] = []
        traced: list[int] = []
        tracemalloc.start()
        try:
            for _ in range(RELOADS):
                app.action_reload()
                await settle(pilot)
                frozen.append(gc.get_freeze_count())
                traced.append(tracemalloc.get_traced_memory()[0])
        finally:
            tracemalloc.stop()
        assert frozen[0] > 0  # the records are kept out of the collector's full passes
        # each reload used to add its records to the frozen set (~6k objects) and keep them for good
        assert max(frozen) - min(frozen) < frozen[0] // 10, frozen
        assert traced[-1] - traced[2] < 512 * 1024, traced
    assert gc.get_freeze_count() == 0  # nothing left frozen once the app has gone
