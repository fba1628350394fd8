"""The worker: calls run off the caller's thread, results come back through the scheduler."""

from __future__ import annotations

import queue
import threading

from kiosk_app.worker import InlineWorker, ThreadWorker


def test_the_thread_worker_delivers_results_and_errors_through_the_scheduler():
    delivered: queue.Queue = queue.Queue()
    worker = ThreadWorker(schedule=delivered.put, threads=1)  # one thread: answers in order
    ran_on = []
    results = []
    worker.submit(lambda: ran_on.append(threading.current_thread()) or 42, results.append, results.append)
    worker.submit(lambda: 1 / 0, results.append, results.append)
    for _ in range(2):
        delivered.get(timeout=5)()  # the "UI thread" runs what was scheduled
    worker.close()
    assert ran_on[0] is not threading.current_thread()
    assert results[0] == 42 and isinstance(results[1], ZeroDivisionError)


def test_the_inline_worker_answers_at_once():
    results = []
    InlineWorker().submit(lambda: "P001", results.append, results.append)
    assert results == ["P001"]
