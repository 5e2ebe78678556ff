"""Progress on stderr and one timing line per stage on stdout."""

import sys
import time
from contextlib import contextmanager


class Progress:
    """A one-line progress bar on stderr (a new line every 10% when stderr is not a terminal)."""

    def __init__(self, label, total, width=30):
        self.label, self.total, self.width = label, max(total, 1), width
        self.done, self.started, self.shown = 0, time.perf_counter(), -1.0
        self.tty = sys.stderr.isatty()

    def due(self, now, fraction):
        if fraction >= 1:
            return True
        if self.tty:
            return now - self.shown >= 0.2
        return int(fraction * 10) != int(self.shown)

    def update(self, count=1):
        self.done += count
        now, fraction = time.perf_counter(), min(self.done / self.total, 1.0)
        if not self.due(now, fraction):
            return
        self.shown = now if self.tty else int(fraction * 10)
        elapsed = now - self.started
        eta = elapsed / fraction - elapsed if fraction else 0
        bar = "#" * int(fraction * self.width)
        line = (
            f"{self.label:<14}[{bar:<{self.width}}] {self.done:>9,}/{self.total:,} "
            f"{fraction:6.1%} {elapsed:6.1f}s eta {eta:5.0f}s"
        )
        sys.stderr.write(f"\r{line}" if self.tty else f"{line}\n")
        sys.stderr.flush()

    def close(self):
        if self.tty:
            sys.stderr.write("\n")


@contextmanager
def stage(name):
    """Time the block; print its name, seconds and the notes it appended."""
    started = time.perf_counter()
    notes = []
    yield notes
    seconds = time.perf_counter() - started
    detail = f"  {', '.join(notes)}" if notes else ""
    print(f"{name:<28}{seconds:8.1f}s{detail}", flush=True)


def total_line(started):
    print(f"{'total':<28}{time.perf_counter() - started:8.1f}s")
