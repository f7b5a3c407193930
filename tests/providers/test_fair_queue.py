"""The local model's fair waiting line, tested as a pure object (no model)."""

import threading

import pytest

from civia.providers.fair_queue import FairQueue, Ticket, waiting_fr

WAIT_S = 10.0  # generous bound for threads to reach a state; never a timing assertion


def _until(predicate, what: str) -> None:
    done = threading.Event()
    for _ in range(int(WAIT_S / 0.01)):
        if predicate():
            return
        done.wait(0.01)
    pytest.fail(f"never reached: {what}")


def test_round_robin_across_users_fifo_within_user() -> None:
    queue = FairQueue()
    holder = queue.enter("x")
    assert queue.wait(holder)
    a = [queue.enter("alice") for _ in range(5)]
    b = queue.enter("bob")
    c = [queue.enter("chloe") for _ in range(2)]
    # Alice's five queued requests do not pass Bob's or Chloé's first one.
    assert [queue.position(t) for t in (a[0], b, c[0], a[1], c[1], a[2], a[3], a[4])] == [
        1, 2, 3, 4, 5, 6, 7, 8,
    ]  # fmt: skip
    served = []
    queue.release(holder)
    for _ in range(8):
        head = next(t for t in [*a, b, *c] if queue.position(t) == 0)
        assert queue.wait(head)
        served.append(head)
        queue.release(head)
    assert served == [a[0], b, c[0], a[1], c[1], a[2], a[3], a[4]]


def test_newcomer_is_not_passed_by_the_user_being_served() -> None:
    queue = FairQueue()
    a1, a2 = queue.enter("alice"), queue.enter("alice")
    assert queue.wait(a1)  # Alice generates, her second request waits
    assert queue.position(a2) == 1
    b1 = queue.enter("bob")  # Bob arrives while Alice is served: he goes before her second
    assert queue.position(b1) == 1 and queue.position(a2) == 2
    queue.release(a1)
    assert queue.position(b1) == 0
    assert queue.wait(b1)
    assert queue.position(a2) == 1


def test_a_users_only_request_is_never_passed_by_later_arrivals() -> None:
    """Found by bench/bench_queue.py: a waiter served earlier in the day was passed by every
    newcomer (ties went to the user served least recently), so it read « 2 demandes avant la
    vôtre », then 3, then 4. Now a request alone in its user's line only moves up."""
    queue = FairQueue()
    for user in ("carole", "x"):  # Carole was served this morning; x generates now
        earlier = queue.enter(user)
        assert queue.wait(earlier)
        if user == "carole":
            queue.release(earlier)
    carole = queue.enter("carole")
    positions = [queue.position(carole)]
    for name in ("dan", "eve", "fred"):  # never served, arriving after her
        queue.enter(name)
        positions.append(queue.position(carole))
    assert positions == [1, 1, 1, 1]


def test_position_updates_and_reaches_the_model() -> None:
    queue = FairQueue()
    holder = queue.enter("x")
    assert queue.wait(holder)
    first, second = queue.enter("u1"), queue.enter("u2")
    seen: list[int] = []
    got = threading.Event()

    def waiter() -> None:
        if queue.wait(second, seen.append):
            got.set()
            queue.release(second)

    thread = threading.Thread(target=waiter)
    thread.start()
    _until(lambda: seen == [2], "second waiter told it has 2 requests before it")
    queue.cancel(first)  # one ahead leaves: it moves up
    _until(lambda: seen == [2, 1], "position updated to 1")
    assert not got.is_set()
    queue.release(holder)
    thread.join(WAIT_S)
    assert got.is_set() and seen == [2, 1]  # not announced once it has the model
    assert queue.position(second) is None and not queue.busy() and queue.waiting() == 0


def test_cancel_a_waiter_unblocks_it_and_not_the_others() -> None:
    queue = FairQueue()
    holder = queue.enter("x")
    assert queue.wait(holder)
    gone, stays = queue.enter("u1"), queue.enter("u2")
    results: dict[str, bool] = {}

    def wait(name: str, ticket: Ticket) -> None:
        results[name] = queue.wait(ticket)
        if results[name]:
            queue.release(ticket)

    threads = [
        threading.Thread(target=wait, args=("gone", gone)),
        threading.Thread(target=wait, args=("stays", stays)),
    ]
    for t in threads:
        t.start()
    _until(lambda: queue.waiting() == 2, "two waiters")
    queue.cancel(gone)
    threads[0].join(WAIT_S)
    assert results == {"gone": False}  # it left at once, the other still waits for the model
    queue.cancel(holder)  # cancelling the holder does nothing: it keeps the model
    assert queue.busy() and queue.position(stays) == 1
    queue.release(holder)
    threads[1].join(WAIT_S)
    assert results == {"gone": False, "stays": True}


def test_heartbeat_repeats_an_unchanged_position() -> None:
    queue = FairQueue(heartbeat_s=0.01)
    holder = queue.enter("x")
    assert queue.wait(holder)
    ticket = queue.enter("u")
    seen: list[int] = []
    thread = threading.Thread(target=queue.wait, args=(ticket, seen.append))
    thread.start()
    _until(lambda: len(seen) >= 3, "the position re-announced while nothing moves")
    assert set(seen) == {1}
    queue.cancel(ticket)
    thread.join(WAIT_S)
    assert not thread.is_alive()
    queue.release(holder)


def test_many_threads_no_deadlock_one_holder_at_a_time_everyone_served() -> None:
    queue = FairQueue(heartbeat_s=0.05)
    inside = 0
    most = 0
    lock = threading.Lock()
    served: list[str] = []
    users = [f"u{i}" for i in range(6)]

    def worker(user: str, n: int) -> None:
        nonlocal inside, most
        for k in range(n):
            ticket = queue.enter(user)
            if k % 4 == 3:  # some give up while waiting
                queue.cancel(ticket)
                assert not queue.wait(ticket)
                continue
            assert queue.wait(ticket, lambda pos: None)
            with lock:
                inside += 1
                most = max(most, inside)
                served.append(user)
            with lock:
                inside -= 1
            queue.release(ticket)

    threads = [threading.Thread(target=worker, args=(u, 20)) for u in users]
    for t in threads:
        t.start()
    for t in threads:
        t.join(WAIT_S * 3)
    assert not any(t.is_alive() for t in threads), "deadlock: a worker never finished"
    assert most == 1  # never two generations at once
    assert sorted(set(served)) == users and len(served) == 6 * 15
    assert queue.waiting() == 0 and not queue.busy()


def test_hold_context_and_french_label() -> None:
    queue = FairQueue()
    with queue.hold("u") as ticket:
        assert queue.busy() and ticket.user == "u"
    assert not queue.busy()
    assert waiting_fr(1) == "En file d'attente : 1 demande avant la vôtre"
    assert waiting_fr(2) == "En file d'attente : 2 demandes avant la vôtre"


def test_a_cancelled_request_does_not_push_back_the_users_next_one() -> None:
    queue = FairQueue()
    holder = queue.enter("x")
    assert queue.wait(holder)
    first = queue.enter("alice")
    for ticket in [queue.enter("alice") for _ in range(3)]:
        queue.cancel(ticket)
    again = queue.enter("alice")  # her second request in the line, as if the others never were
    dave = [queue.enter("dave") for _ in range(2)]
    # Round by round: Alice's and Dave's first requests, then their second ones, in arrival
    # order; the three cancelled requests do not send Alice's second one behind Dave's.
    assert [queue.position(t) for t in (first, dave[0], again, dave[1])] == [1, 2, 3, 4]
