"""A fair waiting line for the in-process local model (one generation at a time).

llama.cpp contexts are not re-entrant and the machine has few cores, so the embedded model
generates one answer at a time. A plain lock gives no order: a user who sends five requests can
keep the model while others wait, and nobody can be told where they stand. This small scheduler
replaces the lock:

- fairness: start-time fair queueing. Each request gets a round number: the round being
  served, or, if the user already has a request in the line (waiting or generating), one more
  than the round of that user's latest request when that is later; the model
  goes to the lowest round, ties to the earliest arrival. A user's fifth queued request never
  passes another user's first one, a newcomer goes before the second request of a user already
  served in this round; FIFO within a user.
- positions only count down for a user's only request in the line: a newcomer never gets a
  round lower than the one being served, so it never passes a request of a user who had none
  before it (a user's later requests may see newcomers pass them: that is the fairness).
- position: a waiting request can ask how many requests will hold the model before it
  (the one generating now included), and is told again when that number changes.
- cancellation: a waiting request can be cancelled (client gone, « Arrêter ») from any thread;
  it leaves the line at once and the others move up.

Why not a library: the stdlib has no fair lock, and a task queue (Celery, RQ…) would move the
model out of the process. `threading.Condition` is enough for a handful of waiters; the work is
done in the generation threads, which is where the model runs. The line is per process: with
several app processes each has its own model and its own line (see docs/architecture.md).
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable
from dataclasses import dataclass

WAITING, ACTIVE, DONE, CANCELLED = "waiting", "active", "done", "cancelled"


@dataclass(eq=False)
class Ticket:
    """One request's place in the line."""

    user: str
    round: int
    seq: int
    state: str = WAITING


class FairQueue:
    """One holder at a time; waiters served round-robin across users, FIFO within a user."""

    def __init__(self, *, heartbeat_s: float = 5.0) -> None:
        # While waiting, the position is re-announced at least this often (even unchanged): the
        # streaming side uses it to notice a stop request made from another process.
        self.heartbeat_s = heartbeat_s
        self._cond = threading.Condition()
        self._waiting: list[Ticket] = []
        self._holder: Ticket | None = None
        self._served_round = 1  # round of the last request given the model
        self._last_round: dict[str, int] = {}  # user -> round of their latest request
        self._seqs = itertools.count()

    # -- the line --------------------------------------------------------------------------
    def enter(self, user: str) -> Ticket:
        """Join the line (does not wait: call `wait`)."""
        with self._cond:
            in_line = any(t.user == user for t in self._waiting) or (
                self._holder is not None and self._holder.user == user
            )
            start = self._served_round
            if in_line:  # after the user's own requests: one round later than the last
                start = max(start, self._last_round[user] + 1)
            ticket = Ticket(user=user, round=start, seq=next(self._seqs))
            self._last_round[user] = ticket.round
            self._waiting.append(ticket)
            self._cond.notify_all()
            return ticket

    @staticmethod
    def _key(t: Ticket) -> tuple[int, int]:
        return (t.round, t.seq)

    def _order(self) -> list[Ticket]:
        return sorted(self._waiting, key=self._key)

    def _position(self, ticket: Ticket) -> int:
        return self._order().index(ticket) + (1 if self._holder is not None else 0)

    def position(self, ticket: Ticket) -> int | None:
        """Requests that will hold the model before this one (None once it has it or left)."""
        with self._cond:
            if ticket.state != WAITING:
                return None
            return self._position(ticket)

    def waiting(self) -> int:
        with self._cond:
            return len(self._waiting)

    def busy(self) -> bool:
        with self._cond:
            return self._holder is not None

    # -- waiting, holding, leaving ---------------------------------------------------------
    def wait(self, ticket: Ticket, on_position: Callable[[int], None] | None = None) -> bool:
        """Block until `ticket` holds the model (True) or is cancelled (False).

        `on_position(n)` is called (outside the lock) when the position changes and at least
        every `heartbeat_s` while waiting; never when the model is free at once."""
        last: int | None = None
        while True:
            with self._cond:
                if ticket.state == CANCELLED:
                    return False
                if ticket.state != WAITING:
                    raise RuntimeError("this ticket has already been served")
                order = self._order()
                if self._holder is None and order[0] is ticket:
                    self._waiting.remove(ticket)
                    ticket.state = ACTIVE
                    self._holder = ticket
                    self._served_round = max(self._served_round, ticket.round)
                    return True
                pos = order.index(ticket) + (1 if self._holder is not None else 0)
                if pos == last and not self._cond.wait(self.heartbeat_s):
                    last = None  # heartbeat: announce the same position again
                    continue
                if pos == last:
                    continue  # woken by a change: look again
            last = pos
            if on_position is not None:
                on_position(pos)

    def release(self, ticket: Ticket) -> None:
        """The holder is done: the next in line gets the model."""
        with self._cond:
            if self._holder is ticket:
                self._holder = None
            ticket.state = DONE
            self._cond.notify_all()

    def cancel(self, ticket: Ticket) -> None:
        """Leave the line (no effect on a ticket that already holds the model or is done)."""
        with self._cond:
            if ticket.state == WAITING:
                ticket.state = CANCELLED
                self._waiting.remove(ticket)
                # The user's next request follows their requests still in the line, not the
                # one that left.
                rounds = [t.round for t in self._waiting if t.user == ticket.user]
                if self._holder is not None and self._holder.user == ticket.user:
                    rounds.append(self._holder.round)
                self._last_round[ticket.user] = max(rounds, default=0)
                self._cond.notify_all()

    def hold(self, user: str) -> _Hold:
        """`with queue.hold(user):` wait for the model, then hold it for the block."""
        return _Hold(self, user)


class _Hold:
    def __init__(self, queue: FairQueue, user: str) -> None:
        self.queue, self.ticket = queue, queue.enter(user)

    def __enter__(self) -> Ticket:
        self.queue.wait(self.ticket)
        return self.ticket

    def __exit__(self, *exc: object) -> None:
        self.queue.release(self.ticket)


WAITING_PREFIX = "En file d'attente : "


def waiting_fr(position: int) -> str:
    """« En file d'attente : 2 demandes avant la vôtre »."""
    plural = "s" if position > 1 else ""
    return f"{WAITING_PREFIX}{position} demande{plural} avant la vôtre"
