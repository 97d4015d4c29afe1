"""Timing one key press in a headless Textual app, for tui_open.py and tui_filter.py.

`pilot.press(key)` waits for the process to look idle twice (`wait_for_idle`, which sleeps in 20 ms
steps) and `pilot.pause()` once more, so a press + pause takes at least ~60 ms however little the
app does, in 20 ms steps. `key_round_trip` instead posts the key event the way the pilot does
(through the driver), spins the event loop until the app shows it handled the key (`done()`),
lets every widget of the screen process what was queued meanwhile (twice: handlers post messages
of their own), and then paints the screen at once, as the 60 Hz update timer would shortly after.
It returns the seconds from posting the key to the end of that paint. The headless driver drops the
painted output, so the terminal write itself is not counted; everything up to it (the compositor
asking the widgets for their lines) is.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

from textual import events
from textual.pilot import Pilot


class KeyTimeout(RuntimeError):
    pass


def key_event(key: str) -> events.Key:
    """The Key event `pilot.press(key)` makes, for the keys these benches press."""
    if key == "space":
        return events.Key("space", " ")
    if len(key) == 1:
        return events.Key(key, key)
    return events.Key(key, None)


async def settle_and_paint(pilot: Pilot[None]) -> None:
    """Let the screen's widgets process what is queued (twice), then paint the screen now."""
    await pilot._wait_for_screen()
    await pilot._wait_for_screen()
    pilot.app.screen._on_timer_update()


async def key_round_trip(
    pilot: Pilot[None], key: str, done: Callable[[], bool], *, poll: float = 0.0, timeout: float = 30.0
) -> float:
    """Seconds from posting key to the app having handled it (done() true) and painted the screen.

    poll: seconds between checks of done(); 0 spins the event loop, which also competes for the GIL
    with any worker thread, so give a few ms while a worker runs.
    """
    app = pilot.app
    driver = app._driver
    assert driver is not None
    event = key_event(key)
    event.set_sender(app)
    start = time.perf_counter()
    driver.send_message(event)
    while not done():
        await asyncio.sleep(poll)
        if time.perf_counter() - start > timeout:
            raise KeyTimeout(f"key {key!r} not handled within {timeout} s")
    await settle_and_paint(pilot)
    return time.perf_counter() - start


async def pilot_round_trip(pilot: Pilot[None], key: str) -> float:
    """Seconds for `await pilot.press(key)` + `await pilot.pause()` (includes the pilot's idle waits)."""
    start = time.perf_counter()
    await pilot.press(key)
    await pilot.pause()
    return time.perf_counter() - start
