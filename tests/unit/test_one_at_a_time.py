"""Requests that would compute the same figures wait for the first one (queries.aggregates._one_at_a_time)."""

from __future__ import annotations

import threading
import time

from queries import aggregates


def test_the_same_key_is_computed_by_one_request_at_a_time_and_other_keys_run_beside_it() -> None:
    inside: list[str] = []
    most = {"a": 0, "b": 0}
    lock = threading.Lock()

    def work(key: str) -> None:
        with aggregates._one_at_a_time((key,)):
            with lock:
                inside.append(key)
                most[key] = max(most[key], inside.count(key))
                both = len(set(inside)) == 2
            time.sleep(0.05)
            with lock:
                inside.remove(key)
                seen_both.append(both)

    seen_both: list[bool] = []
    threads = [threading.Thread(target=work, args=(k,)) for k in "aaaabbbb"]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert most == {"a": 1, "b": 1}  # never two requests of one key at once
    assert any(seen_both)  # but "a" and "b" side by side
    assert aggregates._flights == {}  # nothing left behind once they are done


def test_no_key_means_no_waiting() -> None:
    with aggregates._one_at_a_time(None), aggregates._one_at_a_time(None):
        pass
    assert aggregates._flights == {}
