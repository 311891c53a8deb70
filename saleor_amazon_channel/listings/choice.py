"""Patches or a feed: send a backlog the way that gets it ACCEPTED on Amazon sooner, decreases first.

Amazon offers two ways that differ in kind. Requests one by one (putListingsItem, patchListingsItem,
deleteListingsItem) go at the operation's usage plan (5/s per seller), each ACCEPTED in its answer: ``n`` of
them take ``n / rate`` seconds, known in advance. A JSON_LISTINGS_FEED carries up to 25,000 offers in one
createFeed, but they are ACCEPTED only once Amazon processed it: a turnaround of minutes to hours (Amazon queues a
seller's feeds) that hardly depends on the feed's size, and the next createFeed waits for its slot (0.0083/s).

Decreases (quantity drops, zero-outs, ends) go before anything else, so Amazon never offers what Saleor no longer
has: every increase is sent once the decreases are ACCEPTED, whichever way each part goes. The four plans are
(decreases, then the rest): patches then patches, patches then a feed, a feed then patches, a feed then a second
feed; the engine takes the one whose last offer is ACCEPTED soonest (a tie goes to patches, whose time is known;
then to the plan that finishes the decreases sooner). The engine asks again after each batch, so a plan is
revised as the backlog and the learned rates change.

Why not the decreases in the same feed as the increases: a feed's offers are ACCEPTED together, when it is DONE,
so a decrease in it would be ACCEPTED no sooner than an increase. Decreases go either by patches (each ACCEPTED a
fifth of a second apart, the first at once: the right way for a few hundred) or, when they are many, in a feed of
their own ahead of the increases (which then wait for it and for the next createFeed slot).
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Choice:
    decreases_by_feed: bool
    rest_by_feed: bool
    decreases_done: float  # seconds from now until the decreases are ACCEPTED (estimate)
    done: float  # seconds from now until the whole backlog is ACCEPTED (estimate)


def choose(decreases: float, rest: float, *, turnaround: float, feed_wait: float, feed_interval: float) -> Choice:
    """The fastest plan for a backlog whose decreases take ``decreases`` seconds to patch one by one, the rest
    ``rest`` seconds (0: none of that part).

    ``turnaround``: a feed's expected seconds from its submission to its results; ``feed_wait``: seconds until the
    next createFeed slot; ``feed_interval``: seconds between two createFeed slots.
    """
    plans: list[tuple[float, int, float, Choice]] = []
    for decreases_by_feed in ((False, True) if decreases > 0 else (False,)):
        if decreases_by_feed:
            decreases_done = feed_wait + turnaround
            next_slot = feed_wait + feed_interval
        else:
            decreases_done = decreases
            next_slot = feed_wait
        for rest_by_feed in ((False, True) if rest > 0 else (False,)):
            if rest_by_feed:
                done = max(decreases_done, next_slot) + turnaround
            else:
                done = decreases_done + rest
            feeds = int(decreases_by_feed) + int(rest_by_feed)
            plans.append((done, feeds, decreases_done,
                          Choice(decreases_by_feed, rest_by_feed, decreases_done, done)))
    return min(plans, key=lambda plan: plan[:3])[3]
