"""What the benchmarks share: the scratch folder and options, timing runs alternately, medians with ratios."""

from __future__ import annotations

import argparse
import gc
import shutil
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
OUT_DIR = BENCH_DIR / "out"


def git(root: Path, *args: str) -> str:
    """Run git in root and return what it printed; a failure raises."""
    done = subprocess.run(["git", *args], cwd=root, check=True, capture_output=True, text=True)
    return done.stdout


def scratch_dir(prefix: str) -> Path:
    """A new empty folder under bench/out/ (git-ignored), for one run's scratch repos."""
    OUT_DIR.mkdir(exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=prefix, dir=OUT_DIR))


def remove(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)


@contextmanager
def scratch(prefix: str, keep: bool) -> Iterator[Path]:
    """A scratch folder for one run, removed afterwards, or kept (and named) with --keep."""
    folder = scratch_dir(prefix)
    try:
        yield folder
    finally:
        if keep:
            print(f"kept {folder}")
        else:
            remove(folder)


def arguments(doc: str | None, *, keep: str = "the scratch repo") -> argparse.ArgumentParser:
    """A parser described by the script's docstring, with the options every generated-repo bench has."""
    parser = argparse.ArgumentParser(description=(doc or "").splitlines()[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", action="store_true", help=f"keep {keep} under bench/out/")
    return parser


def timed(run: Callable[[], Any], *, collect: bool = False) -> tuple[float, Any]:
    """Seconds run() took, and what it returned; collect: a full garbage collection first, untimed."""
    if collect:
        gc.collect()
    start = time.perf_counter()
    result = run()
    return time.perf_counter() - start, result


def alternate(methods: dict[str, Callable[[], float]], reps: int, *, warmups: int = 1) -> dict[str, list[float]]:
    """Each method's own timings (each returns its seconds): untimed warm-ups of each, then reps rounds in turn."""
    for _ in range(warmups):
        for method in methods.values():
            method()
    times: dict[str, list[float]] = {name: [] for name in methods}
    for _ in range(reps):
        for name, method in methods.items():
            times[name].append(method())
    return times


def ratio_table(times: dict[str, list[float]], base: str | None, *, unit: str = "ms", width: int = 22) -> None:
    """Print runs, median, min and max of each method, and its median's ratio to the base's median."""
    scale, digits = (1e3, 1) if unit == "ms" else (1.0, 3)
    header = f"{'method':<{width}}{'runs':>5}{'median ' + unit:>11}{'min ' + unit:>9}{'max ' + unit:>9}"
    print(header + (f"{'ratio':>8}" if base else ""))
    reference = statistics.median(times[base]) if base else 0.0
    for name, values in times.items():
        median = statistics.median(values)
        line = (
            f"{name:<{width}}{len(values):>5}{median * scale:>11.{digits}f}{min(values) * scale:>9.{digits}f}"
            f"{max(values) * scale:>9.{digits}f}"
        )
        print(line + (f"{median / reference:>7.2f}x" if base else ""))


def ratio(times: dict[str, list[float]], name: str, base: str) -> float:
    """The median of name's timings over the median of base's."""
    return statistics.median(times[name]) / statistics.median(times[base])
