"""Free ports: each xdist worker hands out ports from a slice of its own, below the kernel's
ephemeral range, each in turn and never one something holds."""
import socket

from harness.ports import HIGH, LOW, PortSource, free_port, worker_slice


def test_workers_get_disjoint_slices_below_the_ephemeral_range():
    slices = [worker_slice(f"gw{n}", "4") for n in range(4)]
    assert all(len(s) == (HIGH - LOW) // 8 for s in slices)
    assert len(set().union(*map(set, slices))) == 4 * len(slices[0])
    assert slices[0].start == LOW and slices[-1].stop <= HIGH <= 32768
    assert worker_slice("", "") is None and worker_slice("master", "4") is None


def test_no_handed_out_port_is_the_one_after_another():
    # The sandbox's Stripe CLI websocket takes SANDBOX_PORT + 1 by default.
    handed = set().union(*(set(worker_slice(f"gw{n}", "4")) for n in range(4)))
    assert handed and all(port % 2 == 0 and port + 1 not in handed for port in handed)


def test_a_source_hands_out_each_port_in_turn_and_skips_a_held_one():
    first = PortSource(range(LOW, LOW + 40))
    start = first.ports[first.next]
    with socket.socket() as held:
        held.bind(("127.0.0.1", start))
        held.listen()
        taken = [first.take() for _ in range(10)]
    assert start not in taken and len(set(taken)) == 10
    assert set(taken) <= set(first.ports)


def test_free_port_draws_from_this_workers_slice(monkeypatch):
    monkeypatch.setenv("PYTEST_XDIST_WORKER", "gw1")
    monkeypatch.setenv("PYTEST_XDIST_WORKER_COUNT", "3")
    drawn = {free_port() for _ in range(20)}
    assert len(drawn) == 20 and drawn <= set(worker_slice("gw1", "3"))
    monkeypatch.delenv("PYTEST_XDIST_WORKER")
    assert free_port() >= 1024  # the kernel's choice outside xdist
