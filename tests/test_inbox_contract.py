"""One contract for every webhook inbox adapter: idempotent storage by event id, leased claims
so an event is fulfilled once among many workers, retries and a final failed state."""
import threading
from datetime import UTC, datetime, timedelta

from lib.stores.inbox import InboxState

T0 = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
BODY = b'{"id": "evt_1", "type": "checkout.session.completed"}'


def add(inbox, event_id="evt_1", now=T0, payload=BODY):
    """Store one completed-checkout event."""
    return inbox.add(event_id, "checkout.session.completed", "cs_test_1", payload, now)


def test_an_event_is_stored_once_by_its_id(inbox):
    assert add(inbox) is True
    assert add(inbox, payload=b"other") is False
    stored = inbox.get("evt_1")
    assert (stored.state, stored.payload, stored.attempts) == (InboxState.RECEIVED, BODY, 0)
    assert stored.session_id == "cs_test_1" and stored.received_at == T0
    assert [e.event_id for e in inbox.recent()] == ["evt_1"]


def test_events_persist_across_instances(open_inbox):
    add(open_inbox())
    assert open_inbox().get("evt_1").state == InboxState.RECEIVED


def test_claims_take_the_oldest_due_event_and_count_attempts(inbox):
    add(inbox, "evt_b", T0 + timedelta(seconds=1))
    add(inbox, "evt_a", T0)
    claim = inbox.claim(T0 + timedelta(seconds=2), 30, "w1")
    assert claim.event.event_id == "evt_a" and claim.event.attempts == 1
    assert claim.event.state == InboxState.CLAIMED
    assert inbox.claim(T0 + timedelta(seconds=2), 30, "w2").event.event_id == "evt_b"
    assert inbox.claim(T0 + timedelta(seconds=2), 30, "w3") is None


def test_a_claimed_event_is_not_claimed_again_until_its_lease_runs_out(open_inbox):
    first, second = open_inbox(), open_inbox()
    add(first)
    claim = first.claim(T0, 30, "w1")
    assert second.claim(T0 + timedelta(seconds=29), 30, "w2") is None
    stolen = second.claim(T0 + timedelta(seconds=31), 30, "w2")
    assert stolen.event.event_id == "evt_1" and stolen.event.attempts == 2
    # The first worker's lease is gone: it cannot settle the event any more.
    assert first.fulfilled(claim, T0 + timedelta(seconds=32)) is False
    assert second.fulfilled(stolen, T0 + timedelta(seconds=32)) is True
    assert first.get("evt_1").state == InboxState.FULFILLED


def test_fulfilled_events_are_never_claimed_again(inbox):
    add(inbox)
    claim = inbox.claim(T0, 30, "w1")
    assert inbox.fulfilled(claim, T0 + timedelta(seconds=1)) is True
    assert inbox.claim(T0 + timedelta(days=1), 30, "w2") is None
    stored = inbox.get("evt_1")
    assert stored.state == InboxState.FULFILLED and stored.done_at == T0 + timedelta(seconds=1)
    assert inbox.fulfilled(claim, T0 + timedelta(seconds=2)) is False  # settled once


def test_a_retry_keeps_its_error_and_waits_for_its_next_attempt(inbox):
    add(inbox)
    claim = inbox.claim(T0, 30, "w1")
    later = T0 + timedelta(seconds=5)
    assert inbox.retry(claim, "stripe: APIConnectionError: down", later) is True
    stored = inbox.get("evt_1")
    assert (stored.state, stored.last_error, stored.next_attempt_at) == (
        InboxState.RETRYING, "stripe: APIConnectionError: down", later)
    assert inbox.claim(T0 + timedelta(seconds=4), 30, "w1") is None
    again = inbox.claim(later, 30, "w1")
    assert again.event.attempts == 2 and again.event.last_error.startswith("stripe:")


def test_a_failed_event_is_final(inbox):
    add(inbox)
    claim = inbox.claim(T0, 30, "w1")
    assert inbox.failed(claim, "x" * 2000, T0) is True
    stored = inbox.get("evt_1")
    assert stored.state == InboxState.FAILED and len(stored.last_error) == 500
    assert inbox.claim(T0 + timedelta(days=1), 30, "w2") is None


def test_many_workers_claim_each_event_exactly_once(open_inbox):
    first = open_inbox()
    for n in range(200):
        add(first, f"evt_{n:03}")
    won: list[str] = []
    lock = threading.Lock()

    def work(name):
        inbox = open_inbox()
        while (claim := inbox.claim(T0, 60, name)) is not None:
            assert inbox.fulfilled(claim, T0)
            with lock:
                won.append(claim.event.event_id)

    threads = [threading.Thread(target=work, args=(f"w{n}",)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(won) == [f"evt_{n:03}" for n in range(200)]
    assert {first.get(f"evt_{n:03}").state for n in range(200)} == {InboxState.FULFILLED}
    assert {first.get(f"evt_{n:03}").attempts for n in range(200)} == {1}


def test_rivals_racing_for_expired_leases_settle_each_event_once(open_inbox):
    """Claimers whose clocks are past every lease keep stealing from each other: whatever the
    interleaving, each event ends fulfilled once, by the holder of its last lease."""
    first = open_inbox()
    for n in range(40):
        add(first, f"evt_{n:02}")
    settled: list[str] = []
    lock = threading.Lock()

    def work(name, offset):
        inbox = open_inbox()
        # Each round's clock is past the previous round's leases, so claims get stolen.
        for round_ in range(1, 30):
            now = T0 + timedelta(seconds=round_ * 10 + offset)
            claim = inbox.claim(now, 5, f"{name}-{round_}")
            if claim is None:
                return
            if round_ % 2 == 0 and inbox.fulfilled(claim, now):
                with lock:
                    settled.append(claim.event.event_id)

    threads = [threading.Thread(target=work, args=(f"w{n}", n)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    while (claim := first.claim(T0 + timedelta(days=1), 5, "last")) is not None:
        assert first.fulfilled(claim, T0 + timedelta(days=1))
        settled.append(claim.event.event_id)
    assert sorted(settled) == [f"evt_{n:02}" for n in range(40)]
    assert {first.get(f"evt_{n:02}").state for n in range(40)} == {InboxState.FULFILLED}


def test_many_reads_the_held_events_among_the_ids_asked_for(inbox):
    add(inbox, "evt_a")
    add(inbox, "evt_b", T0 + timedelta(seconds=1))
    inbox.fulfilled(inbox.claim(T0 + timedelta(seconds=2), 30, "w1"), T0 + timedelta(seconds=3))
    found = inbox.many(["evt_b", "evt_a", "evt_missing", "", "evt_a"])
    assert sorted(found) == ["evt_a", "evt_b"]
    assert (found["evt_a"].state, found["evt_a"].done_at) == (InboxState.FULFILLED,
                                                              T0 + timedelta(seconds=3))
    assert found["evt_b"] == inbox.get("evt_b") and found["evt_b"].state == InboxState.RECEIVED
    assert inbox.many([]) == {}


def add_claimed(inbox, event_id="evt_1", now=T0, lease=30, token="owner"):
    """Store one completed-checkout event already leased to token."""
    return inbox.add_claimed(event_id, "checkout.session.completed", "cs_test_1", BODY, now,
                             lease, token)


def test_an_event_added_claimed_is_leased_to_its_adder_with_one_attempt(inbox):
    claim = add_claimed(inbox)
    assert (claim.token, claim.event.state, claim.event.attempts) == (
        "owner", InboxState.CLAIMED, 1)
    assert claim.event.next_attempt_at == T0 + timedelta(seconds=30)
    assert (claim.event.payload, claim.event.received_at) == (BODY, T0)
    stored = inbox.get("evt_1")
    assert (stored.state, stored.attempts, stored.payload) == (InboxState.CLAIMED, 1, BODY)
    assert inbox.claim(T0 + timedelta(seconds=29), 30, "poller") is None  # no one else's
    assert add_claimed(inbox, token="other") is None and add(inbox) is False  # duplicates
    assert inbox.fulfilled(claim, T0 + timedelta(seconds=1)) is True
    assert inbox.get("evt_1").state == InboxState.FULFILLED
    assert inbox.claim(T0 + timedelta(days=1), 30, "poller") is None


def test_an_added_claim_can_retry_and_fail_like_any_other(inbox):
    claim = add_claimed(inbox)
    later = T0 + timedelta(seconds=5)
    assert inbox.retry(claim, "stripe: down", later) is True
    assert inbox.get("evt_1").state == InboxState.RETRYING
    again = inbox.claim(later, 30, "poller")
    assert again.event.attempts == 2 and again.event.last_error == "stripe: down"
    assert inbox.failed(again, "gone", later) is True
    assert inbox.get("evt_1").state == InboxState.FAILED


def test_an_event_added_claimed_goes_to_a_poll_once_its_lease_runs_out(open_inbox):
    """Its adder died before fulfilling it: another process's poll takes it after the lease,
    and the dead adder's claim can settle nothing any more."""
    adder, poller = open_inbox(), open_inbox()
    claim = add_claimed(adder)
    stolen = poller.claim(T0 + timedelta(seconds=31), 30, "poller")
    assert stolen.event.event_id == "evt_1" and stolen.event.attempts == 2
    assert adder.fulfilled(claim, T0 + timedelta(seconds=32)) is False
    assert adder.retry(claim, "late", T0 + timedelta(seconds=32)) is False
    assert poller.fulfilled(stolen, T0 + timedelta(seconds=32)) is True
    assert adder.get("evt_1").state == InboxState.FULFILLED


def test_replicas_adding_the_same_event_claimed_store_it_once(open_inbox):
    """Two replicas receive the same delivery at once: one insert wins; the other is the
    duplicate answer."""
    inboxes = [open_inbox() for _ in range(4)]
    start = threading.Barrier(4)
    won: list = []

    def race(n):
        start.wait()
        won.append(add_claimed(inboxes[n], token=f"replica-{n}"))

    threads = [threading.Thread(target=race, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    claims = [claim for claim in won if claim is not None]
    assert len(claims) == 1 and inboxes[0].get("evt_1").attempts == 1
    assert inboxes[0].fulfilled(claims[0], T0) is True
