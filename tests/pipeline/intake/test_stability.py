"""Is this file finished being written? Real files; a clock the test moves, and real time."""

import os
import threading
import time

import pytest

from pipeline.intake.stability import StabilityTracker


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock():
    return Clock()


def test_ready_only_after_the_delay_without_change(tmp_path, clock):
    f = tmp_path / "a.pdf"
    f.write_bytes(b"%PDF-1.4 part one")
    tracker = StabilityTracker(2.0, clock)
    tracker.observe(f)
    clock.now += 1.9
    assert tracker.ready() == []
    clock.now += 0.2
    assert tracker.ready() == [f]
    assert f not in tracker and len(tracker) == 0  # handed out once


def test_ready_growth_restarts_the_quiet_period(tmp_path, clock):
    f = tmp_path / "a.pdf"
    f.write_bytes(b"x" * 10)
    tracker = StabilityTracker(2.0, clock)
    tracker.observe(f)
    clock.now += 1.5
    with open(f, "ab") as fh:
        fh.write(b"y" * 10)
    assert tracker.ready() == []  # ready() re-stats: the new size restarts the clock
    clock.now += 1.5
    assert tracker.ready() == []
    clock.now += 0.6
    assert tracker.ready() == [f]


def test_ready_same_size_new_mtime_restarts_the_quiet_period(tmp_path, clock):
    f = tmp_path / "a.docx"
    f.write_bytes(b"abcd")
    tracker = StabilityTracker(1.0, clock)
    tracker.observe(f)
    clock.now += 0.9
    st = f.stat()
    os.utime(f, ns=(st.st_atime_ns, st.st_mtime_ns + 5_000_000))  # rewritten in place, same length
    clock.now += 0.2
    assert tracker.ready() == []
    clock.now += 1.0
    assert tracker.ready() == [f]


def test_observe_forgets_files_that_vanish_or_are_folders(tmp_path, clock):
    f = tmp_path / "a.pdf"
    f.write_bytes(b"x")
    d = tmp_path / "x.pdf"
    d.mkdir()
    tracker = StabilityTracker(0.5, clock)
    tracker.observe_all([f, d, tmp_path / "never.pdf"])
    assert len(tracker) == 1
    f.unlink()
    clock.now += 1
    assert tracker.ready() == [] and len(tracker) == 0


def test_ready_orders_oldest_first_and_next_due_counts_down(tmp_path, clock):
    a, b = tmp_path / "a.pdf", tmp_path / "b.pdf"
    b.write_bytes(b"b")
    tracker = StabilityTracker(2.0, clock)
    assert tracker.next_due() is None
    tracker.observe(b)
    clock.now += 1
    a.write_bytes(b"a")
    tracker.observe(a)
    assert tracker.next_due() == pytest.approx(1.0)
    clock.now += 2
    assert tracker.ready() == [b, a]


def test_zero_delay_takes_a_file_at_once(tmp_path, clock):
    f = tmp_path / "a.txt"
    f.write_text("x")
    tracker = StabilityTracker(0, clock)
    tracker.observe(f)
    assert tracker.ready() == [f]


def test_negative_delay_is_refused():
    with pytest.raises(ValueError):
        StabilityTracker(-1)


def test_a_file_written_slowly_is_taken_only_after_its_writer_stops(tmp_path):
    """Real time: a writer appends every 50 ms for ~0.6 s; with a 0.3 s delay the tracker
    must not hand the file out while it grows, and must hand it out soon after."""
    f = tmp_path / "slow.pdf"
    f.write_bytes(b"%PDF")
    done = threading.Event()

    def writer() -> None:
        for _ in range(12):
            time.sleep(0.05)
            with open(f, "ab") as fh:
                fh.write(b"0123456789")
        done.set()

    tracker = StabilityTracker(0.3)
    tracker.observe(f)
    t = threading.Thread(target=writer)
    t.start()
    taken_at = None
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if tracker.ready():
            taken_at = time.monotonic()
            break
        time.sleep(0.02)
    t.join()
    assert taken_at is not None
    assert done.is_set(), "taken while still being written"
    assert f.stat().st_size == 4 + 12 * 10
