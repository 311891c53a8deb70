"""Amazon orders into Saleor orders (issue 20's "Speed and correctness"), against the emulator over real HTTP.

1. **Exactly once under faults**: ``--orders`` Amazon orders placed over ``--hours`` hours of
   emulated time on one seller, moved through statuses (Pending → Unshipped → Shipped, cancellations, buyer
   cancel requests, late updates), while two poller processes are sent each poll of the beat (every poll
   interval, 5 minutes) at once; 429s and 5xx injected on searchOrders; one poller process killed with SIGKILL
   in the middle of a poll (and replaced, as a supervisor would; its poll delivered again to the new one, which
   comes back when the dead poller's lease runs out, as ``poll_orders_task`` does). Counts: duplicate and missing
   Saleor orders, statuses not applied, stock allocated versus the orders holding it.
2. **Latency** from an order's creation on Amazon to its Saleor order (the ORDER_CREATED commit), p50/p95,
   against one poll interval plus Amazon's two minutes.
3. **Sustained import rate at Amazon's plan**: ``--backlog`` orders waiting for a second seller;
   the poller is brought back after each pacing wait (as the Celery retry does); orders per emulated hour
   once the burst of 20 pages is spent, and requests refused for rate (429).
4. **The last unit raced** ``--races`` times: a storefront checkout (the host's allocation path,
   stocks locked as Saleor's ``allocate_stocks``) and an Amazon order applied in two threads at once; the
   units Saleor sold never exceed the one it had.
5. **Shipments back**: ``--shipments`` fulfillments (20 % of orders in two parcels) created in
   batches of 40 a minute; each confirmed once (confirmShipment calls counted by the emulator, a 503 and a 429
   injected) and the delay from the fulfillment to Amazon's 204 (p50/p95), against one minute.

**The emulated clock.** The emulator's clock is the wall clock plus an offset it moves forward on request;
this bench and its poller processes read the same offset (``django.utils.timezone.now`` and the pacing's
``time.time`` are the wall clock plus it), so every side agrees on the time while idle minutes between
polls are skipped. Everything else is real time: the polls, the HTTP, PostgreSQL. The usage plans are
Amazon's (searchOrders 0.0056/s burst 20, getOrder 0.5/s burst 30, confirmShipment 2/s burst 10), enforced by
the emulator on its clock. A wait for a pacing slot longer than half a second ends the poll (``MAX_SLEEP``
lowered from 30 s: waits are skipped on the clock between polls instead of slept) and the poller is
brought back when its slot comes, as the Celery task's retry does. The shipment worker sleeps on the emulated
clock too.

Usage: ``python bench/bench_orders.py [--full]``: by default 300 orders over 2 emulated hours, no backlog (the
sustained rate takes thousands of orders: ``--full`` or ``--backlog``), 20 races, 80 fulfillments; ``--full``:
1,000 orders over 6 hours, 3,000 backlog orders (ten pages after the burst), 50 races, 200 fulfillments; each size
can be set (``--orders`` …).
"""

import argparse
import heapq
import json
import logging
import os
import random
import signal
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime
from types import SimpleNamespace

import requests

os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/amazon_channel_bench_orders")
os.environ.pop("CELERY_BROKER_URL", None)

from _setup import activate_plugin, free_port, percentiles, serve_in_child, setup_django  # noqa: E402

US = "ATVPDKIKX0DER"
SELLER = "A1BENCHORDERS"
BACKLOG_SELLER = "A2BENCHBACKLOG"
SKUS = 40  # variants the orders buy, with plenty of stock
INTERVAL = 300.0  # the beat's poll interval (the default setting)
MIN_AGE = 120.0  # Amazon's two minutes
POLLER_TIMEOUT = 120.0

# --- The emulated clock (shared with the emulator through its offset) -----------------------------------------

_real_time = time.time
OFFSET = 0.0


def vnow() -> float:
    return _real_time() + OFFSET


def install_clock() -> None:
    """Our side reads the emulator's clock: Django's ``timezone.now`` and the pacing buckets."""
    from django.utils import timezone

    from saleor_amazon_channel.catalog import pacing
    from saleor_amazon_channel.orders import poller

    timezone.now = lambda: datetime.fromtimestamp(vnow(), UTC)
    pacing.time = SimpleNamespace(time=vnow, sleep=time.sleep)  # type: ignore[attr-defined]
    poller.MAX_SLEEP = 0.5


def point_at(url: str) -> None:
    from django.conf import settings

    for name in ("AMAZON_CHANNEL_SELLER_CENTRAL_URL", "AMAZON_CHANNEL_SP_API_URL"):
        setattr(settings, name, url)
    settings.AMAZON_CHANNEL_LWA_TOKEN_URL = url + "/auth/o2/token"


class Emu:
    """The forked emulator's control API."""

    def __init__(self, url: str):
        self.url = url
        self.http = requests.Session()

    def post(self, path: str, body: dict) -> dict:
        response = self.http.post(self.url + "/_emulator" + path, json=body, timeout=60)
        if response.status_code >= 400:
            raise RuntimeError(f"{path}: {response.status_code} {response.text[:300]}")
        return response.json()

    def get(self, path: str) -> dict:
        return self.http.get(self.url + "/_emulator" + path, timeout=60).json()

    def advance(self, seconds: float) -> float:
        """Move the emulated clock on; ours follows. Returns the new emulated time."""
        global OFFSET
        if seconds > 0:
            OFFSET = self.post("/clock", {"seconds": seconds})["clock_offset"]
        return vnow()

    def calls(self) -> dict:
        return self.get("/orders/calls")


# --- Poller processes -------------------------------------------------------------------------------------------


def poller_main(store_id: int, url: str, events_path: str) -> None:
    """A poller process: one poll per line read (``{"offset"}``), its outcome written back as one JSON line.

    Each Saleor order created is appended to ``events_path`` with the emulated time of its commit, and each
    Amazon order recorded with the status read (``R <id> <status>``)."""
    global OFFSET
    logging.disable(logging.WARNING)
    setup_django()
    install_clock()
    point_at(url)
    from django.db import transaction

    from saleor_amazon_channel.orders import poller, sync
    from tests.standin.adapter import StandInHost

    events = open(events_path, "a", buffering=1)  # noqa: SIM115 - a line per Saleor order, flushed
    create_order = StandInHost.create_order

    def recorded(self, order):
        created = create_order(self, order)
        reference = created.external_reference
        transaction.on_commit(lambda: events.write(f"{reference} {vnow():.3f}\n"))
        return created

    StandInHost.create_order = recorded
    record = sync.record

    def logged(store, order):
        row, changed = record(store, order)  # its own transaction, committed here
        events.write(f"R {order.order_id} {order.status}\n")
        return row, changed

    sync.record = logged
    for line in sys.stdin:
        OFFSET = json.loads(line)["offset"]
        try:
            outcome = poller.poll(store_id, sleep=time.sleep)
            answer = {"polled": outcome.polled, "pages": outcome.pages, "orders": outcome.orders,
                      "created": outcome.created, "wait": outcome.wait, "error": outcome.error,
                      "held_for": outcome.held_for}
        except Exception as error:  # noqa: BLE001 - what a worker logs; the next poll goes on
            answer = {"polled": True, "exception": repr(error)[:300]}
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()


class Poller:
    def __init__(self, store_id: int, url: str, events_path: str):
        self.events_path = events_path
        self.process = subprocess.Popen(
            [sys.executable, __file__, "--poller", str(store_id), url, events_path],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=os.path.dirname(__file__),
        )

    def send(self) -> None:
        self.process.stdin.write(json.dumps({"offset": OFFSET}) + "\n")
        self.process.stdin.flush()

    def answer(self) -> dict:
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError("a poller process ended")
        return json.loads(line)

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(10)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.stdin.close()
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()


def answers(pollers, sent) -> list[dict]:
    """Answers of the pollers sent a poll, read in threads (each may take a while)."""
    results: dict[int, dict] = {}

    def read(index, poller_):
        results[index] = poller_.answer()

    threads = [threading.Thread(target=read, args=(i, p)) for i, p in enumerate(pollers) if p in sent]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(POLLER_TIMEOUT)
    return [results[i] for i in sorted(results)]


# --- Set-up -----------------------------------------------------------------------------------------------------


def reset() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE saleor_amazon_channel_amazonshipment, saleor_amazon_channel_amazonorderline, "
            "saleor_amazon_channel_amazonorder, saleor_amazon_channel_ordersync, "
            "saleor_amazon_channel_ordersettings, saleor_amazon_channel_ratebucket, "
            "saleor_amazon_channel_amazonstoreevent, saleor_amazon_channel_pendingconnection, "
            "saleor_amazon_channel_amazonstore, saleor_amazon_channel_sellerauthorization, "
            "order_fulfillmentline, order_fulfillment, order_orderline, order_order, order_ordernumber, "
            "warehouse_allocation, warehouse_stock, warehouse_channelwarehouse, warehouse_warehouse, "
            "attribute_assignedvariantattributevalue, attribute_assignedvariantattribute, attribute_attributevariant, "
            "product_productvariantchannellisting, product_productvariant, product_product, product_producttype, "
            "channel_channel RESTART IDENTITY CASCADE"
        )


def stock(channel, quantities: dict[int, int]):
    from tests.standin.warehouse.models import ChannelWarehouse, Stock, Warehouse

    warehouse = Warehouse.objects.create(name="Bench orders", slug=f"bench-orders-{channel.pk}")
    ChannelWarehouse.objects.create(channel=channel, warehouse=warehouse)
    Stock.objects.bulk_create([Stock(warehouse=warehouse, product_variant_id=pk, quantity=q)
                               for pk, q in quantities.items()])
    return warehouse


def order_settings(store, start: float) -> None:
    from saleor_amazon_channel.orders.models import OrderSettings

    OrderSettings.objects.create(store=store, import_from=datetime.fromtimestamp(start - 86400, UTC),
                                 reserve_pending=True)


def body(seller: str, skus: list[str], status: str, ago: float, rng: random.Random) -> dict:
    items = [{"seller_sku": sku, "quantity": rng.choice((1, 1, 1, 2, 3)), "unit_price": f"{rng.randint(5, 90)}.99",
              "item_tax": "1.20", "shipping_price": "4.99"} for sku in skus]
    return {"selling_partner_id": seller, "items": items, "marketplace_id": US, "status": status,
            "created_seconds_ago": ago}


# --- 1 and 2: exactly once, latency -----------------------------------------------------------------------------


def exactly_once(emu: Emu, store, args, events_dir: str) -> dict:
    from saleor_amazon_channel.orders.models import AmazonOrder

    rng = random.Random(20)
    ticks = int(args.hours * 3600 / INTERVAL)
    kill_tick = ticks // 2
    # Arrivals per interval: even, plus a spike (a flash sale) in the interval the killed poll reads.
    spike = min(50, args.orders // 10)
    per_tick = [(args.orders - spike) // ticks] * ticks
    for i in range((args.orders - spike) - sum(per_tick)):
        per_tick[i] += 1
    per_tick[kill_tick] += spike
    skus = [f"BENCH-{i}" for i in range(SKUS)]
    placed: list[str] = []
    state: dict[str, str] = {}  # what the bench made each order on Amazon
    completed: list[float] = []  # times of the polls that went through their window
    changed_at: dict[str, float] = {}  # an order's first change on Amazon
    log: list = []
    faults = {"429": 0, "5xx": 0}
    pollers = [Poller(store.pk, emu.url, f"{events_dir}/poller-{i}.log") for i in range(2)]
    spawned = 2
    killed = {"done": False, "recorded_before": 0, "recorded_at_kill": 0, "tick_orders": 0}
    started_wall = time.perf_counter()
    tick_time = vnow()
    drain = 0
    tick = 0
    while True:
        tick_time += INTERVAL
        emu.advance(tick_time - vnow())
        if tick < ticks:
            new = [body(SELLER, rng.sample(skus, rng.choice((1, 1, 2))), rng.choice(("Pending", "Unshipped",
                                                                                     "Unshipped")),
                        rng.uniform(0, INTERVAL - 1), rng) for _ in range(per_tick[tick])]
            move(emu, rng, placed, state, changed_at)  # orders of earlier intervals move on
            for order_id, spec in zip(emu.post("/orders/bulk", {"orders": new})["orderIds"], new, strict=True):
                placed.append(order_id)
                state[order_id] = spec["status"].upper()
            if tick % 3 == 1:
                emu.post("/orders/faults", {"operation": "searchOrders", "status": 429, "count": 1})
                faults["429"] += 1
            if tick % 4 == 2:
                emu.post("/orders/faults", {"operation": "searchOrders", "status": rng.choice((500, 503)),
                                            "count": rng.choice((1, 2))})
                faults["5xx"] += 1
        before = AmazonOrder.objects.filter(store=store).count()
        for poller_ in pollers:
            poller_.send()  # the beat's poll reaches both workers at once
        if tick == kill_tick and not killed["done"]:
            # SIGKILL the poller that holds the store, once it has recorded part of this interval's orders.
            deadline = time.monotonic() + 60
            while AmazonOrder.objects.filter(store=store).count() < before + per_tick[tick] // 3:
                if time.monotonic() > deadline:
                    raise RuntimeError("the poll never got going")
                time.sleep(0.005)
            victim = busy_poller(pollers)
            victim.kill()
            killed.update(done=True, at=tick_time, log=victim.events_path, recorded_before=before,
                          tick_orders=per_tick[tick], recorded_at_kill=AmazonOrder.objects.filter(store=store).count())
            survivors = [p for p in pollers if p is not victim]
            done = answers(survivors, survivors)
            pollers = survivors + [Poller(store.pk, emu.url, f"{events_dir}/poller-{spawned}.log")]
            spawned += 1
            # The killed poll is delivered again at once (acks late, rejected on a lost worker), here to the new
            # worker; finding the dead poller's lease, it comes back when the lease runs out (the task's retry).
            redelivered = pollers[-1]
            redelivered.send()
            [again] = answers([redelivered], [redelivered])
            if not again.get("polled") and again.get("held_for") is not None:
                emu.advance(again["held_for"] + 1)
                redelivered.send()
                [again] = answers([redelivered], [redelivered])
            log.append((vnow(), [again]))
            if again.get("polled") and again.get("pages") and again.get("wait") is None and not again.get("error") \
                    and not again.get("exception"):
                completed.append(vnow())
        else:
            done = answers(pollers, pollers)
        log.append((tick_time, done))
        if any(a.get("polled") and a.get("pages") and a.get("wait") is None and not a.get("error")
               and not a.get("exception") for a in done):
            completed.append(tick_time)
        tick += 1
        if tick >= ticks:
            if settled(store, state) or drain >= 12:
                break
            drain += 1
    elapsed = time.perf_counter() - started_wall
    for poller_ in pollers:
        poller_.stop()
    return {"placed": placed, "state": state, "faults": faults, "killed": killed, "ticks": tick,
"completed": completed, "changed_at": changed_at, "log": log,
            "elapsed": elapsed, "emulated_hours": tick * INTERVAL / 3600}


def busy_poller(pollers):
    """The poller still polling (the other answered at once: it found the store taken)."""
    for _ in range(2000):
        idle = [p for p in pollers if select_ready(p)]
        if len(idle) == len(pollers) - 1:
            return next(p for p in pollers if p not in idle)
        time.sleep(0.005)
    raise RuntimeError("could not tell which poller holds the store")


def select_ready(poller_) -> bool:
    import select

    return bool(select.select([poller_.process.stdout], [], [], 0)[0])


def move(emu: Emu, rng: random.Random, placed: list[str], state: dict[str, str],
         changed_at: dict[str, float]) -> None:
    """Amazon moves orders on: Pending → Unshipped or cancelled, Unshipped → Shipped, cancelled, buyer cancel
    requests; a few updates made visible late (lastUpdatedTime moved back inside the poller's overlap)."""
    for order_id in placed:
        status = state[order_id]
        roll = rng.random()
        target = None
        if status == "PENDING" and roll < 0.6:
            target = "Unshipped" if roll < 0.54 else "Canceled"
        elif status == "UNSHIPPED" and roll < 0.08:
            target = "Shipped" if roll < 0.05 else "Canceled"
        elif status == "UNSHIPPED" and roll < 0.09:
            emu.post(f"/orders/{order_id}/cancellation-request", {"reason": "Buyer changed their mind"})
            changed_at.setdefault(order_id, vnow())
            continue
        if target is None:
            continue
        emu.post(f"/orders/{order_id}/status", {"status": target})
        changed_at.setdefault(order_id, vnow())
        state[order_id] = {"Unshipped": "UNSHIPPED", "Canceled": "CANCELLED", "Shipped": "SHIPPED"}[target]
        if rng.random() < 0.1:
            emu.post(f"/orders/{order_id}/last-updated", {"seconds_ago": 200})


EXPECTED_SALEOR = {"PENDING": "unconfirmed", "UNSHIPPED": "unfulfilled", "SHIPPED": "unfulfilled",
                   "CANCELLED": "canceled"}


def expected(order_id: str, status: str, run: dict) -> set[str]:
    """The Saleor order statuses right for an Amazon order: none only for an order cancelled on Amazon before
    a poller that lived on recorded it open (the killed one may have recorded it and died before creating it)."""
    if status != "CANCELLED":
        return {EXPECTED_SALEOR[status]}
    return {"canceled"} if order_id in run["seen_open"] else {"", "canceled"}


def settled(store, state: dict[str, str]) -> bool:
    from saleor_amazon_channel.orders.models import AmazonOrder

    rows = dict(AmazonOrder.objects.filter(store=store).values_list("amazon_order_id", "amazon_status"))
    return len(rows) == len(state) and all(rows[k] == v for k, v in state.items())


def check(emu: Emu, store, run: dict, events_dir: str) -> dict:
    """Duplicate, missing and stale orders; stock held; latency from Amazon's creation to the Saleor order."""
    import glob
    from collections import Counter

    from django.db.models import Sum

    from saleor_amazon_channel.orders.models import AmazonOrder
    from tests.standin.order.models import Order, OrderLine
    from tests.standin.warehouse.models import Stock

    state = run["state"]
    run["created"] = {k: parse(emu.get(f"/orders/{k}")["order"]["createdTime"]) for k in state}
    created = run["created"]
    committed, run["seen_open"] = {}, set()
    for path in glob.glob(f"{events_dir}/poller-*.log"):
        with open(path) as handle:
            for line in handle:
                fields = line.split()
                if fields[0] == "R":
                    if fields[2] != "CANCELLED" and path != run["killed"]["log"]:
                        run["seen_open"].add(fields[1])
                    continue
                committed.setdefault(fields[0], float(fields[1]))
    saleor = list(Order.objects.filter(channel_id=store.channel_id).values_list("external_reference", "status",
                                                                                 "metadata"))
    by_reference = Counter(reference for reference, _, _ in saleor)
    by_metadata = Counter((metadata or {}).get("amazon.order_id") for _, _, metadata in saleor)
    duplicates = sum(n - 1 for n in by_reference.values() if n > 1) + sum(
        n - 1 for key, n in by_metadata.items() if key and n > 1)
    statuses = {reference: status for reference, status, _ in saleor}
    missing = [k for k, v in state.items() if k not in statuses and "" not in expected(k, v, run)]
    rows = {row.amazon_order_id: row for row in AmazonOrder.objects.filter(store=store)}
    stale = [k for k, v in state.items() if k not in rows or rows[k].amazon_status != v
             or statuses.get(k, "") not in expected(k, v, run)]
    problems = Counter(row.problem for row in rows.values() if row.problem)
    # Stock held: every unit of the orders Saleor has not cancelled, and nothing else.
    held = OrderLine.objects.filter(order__channel_id=store.channel_id).exclude(order__status="canceled") \
        .aggregate(n=Sum("quantity"))["n"] or 0
    allocated = Stock.objects.aggregate(n=Sum("quantity_allocated"))["n"] or 0
    # Latency: the Saleor order's commit (the poller's log) minus the order's creation on Amazon.
    latency = [committed[k] - created[k] for k in state if k in committed]
    # Orders the killed poll held up: created from the interval it read until the store was polled again
    # (the dead poller's lease runs out first).
    kill = run["killed"]["at"]
    # The first poll after the lease (a heartbeat, shorter than the interval) finishes the killed poll's window
    # and reads the next one at once.
    resumed = ([at for at in run["completed"] if at > kill][:1] or [kill])[0]
    if os.environ.get("BENCH_ORDERS_DEBUG"):
        with open(os.environ["BENCH_ORDERS_DEBUG"], "w") as handle:
            json.dump({"log": run["log"], "created": created, "committed": committed,
                       "missing": missing, "stale": stale, "kill": run["killed"]}, handle)
    held_up = {k for k in state if kill - INTERVAL - MIN_AGE - 5 <= created[k] <= resumed - MIN_AGE - 5}
    latency_free = [committed[k] - created[k] for k in state if k in committed and k not in held_up]
    # An order Amazon changed before its first poll is hidden until its change is two minutes old
    # (searchOrders reads by lastUpdatedTime): those apart, what is left is the creation's own latency.
    unchanged = [committed[k] - created[k] for k in state if k in committed and k not in held_up
                 and committed[k] < run["changed_at"].get(k, float("inf"))]
    transitions = Counter(v for v in state.values())
    return {"saleor_orders": len(saleor), "duplicates": duplicates, "missing": len(missing), "stale": len(stale),
            "stale_examples": stale[:5], "problems": dict(problems), "held": held, "allocated": allocated,
            "latency": latency, "latency_free": latency_free, "unchanged": unchanged, "held_up": len(held_up),
            "resumed": resumed - kill,
            "final_statuses": dict(transitions),
            "buyer_cancel_requests": sum(1 for row in rows.values() if row.buyer_cancel_requested)}


def parse(value: str) -> float:
    return datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()


# --- 3: sustained rate ------------------------------------------------------------------------------------------


def sustained(emu: Emu, store, backlog: int) -> dict:
    """A backlog of orders for one seller: the poller comes back after each pacing wait (the Celery retry)."""
    from saleor_amazon_channel.orders import poller
    from saleor_amazon_channel.orders.models import AmazonOrder

    rng = random.Random(3)
    skus = [f"BENCH-{i}" for i in range(SKUS)]
    for start in range(0, backlog, 500):
        emu.post("/orders/bulk", {"orders": [
            body(BACKLOG_SELLER, [rng.choice(skus)], "Unshipped", rng.uniform(600, 3 * 3600), rng)
            for _ in range(min(500, backlog - start))]})
    emu.advance(INTERVAL)
    before = emu.calls()
    begin, timeline, polls = vnow(), [], 0
    wall = time.perf_counter()
    while True:
        outcome = poller.poll(store.pk, sleep=time.sleep)
        polls += 1
        timeline.append((vnow() - begin, AmazonOrder.objects.filter(store=store).exclude(saleor_order_id="")
                         .count(), outcome.pages))
        if outcome.wait is None and timeline[-1][1] >= backlog:
            break
        if polls > 10 * backlog // 100 + 50:
            raise RuntimeError(f"no progress: {timeline[-3:]}")
        emu.advance(outcome.wait or INTERVAL)
    wall = time.perf_counter() - wall
    after = emu.calls()
    seller_calls = after["calls_by_seller"].get(BACKLOG_SELLER, {}).get("searchOrders", 0) - \
        before["calls_by_seller"].get(BACKLOG_SELLER, {}).get("searchOrders", 0)
    refused = after["throttled"]["searchOrders"] - before["throttled"]["searchOrders"]
    # After the burst: from the first poll that had to wait for its slot to the end.
    burst_end = next((i for i, (_, _, pages) in enumerate(timeline) if pages <= 1 and i > 0), 0)
    t0, n0, _ = timeline[burst_end]
    t1, n1, _ = timeline[-1]
    rate = (n1 - n0) / ((t1 - t0) / 3600) if t1 > t0 else float("nan")
    return {"imported": timeline[-1][1], "burst": n0, "rate": rate, "hours": (t1 - t0) / 3600,
            "calls": seller_calls, "refused": refused, "polls": polls, "wall": wall, "total_hours": t1 / 3600}


# --- 4: the last unit -------------------------------------------------------------------------------------------


def race(emu: Emu, store, variants: list[int]) -> dict:
    from django.db import connections, transaction

    from saleor_amazon_channel.core.host import OrderRefused
    from saleor_amazon_channel.orders import poller, sync
    from saleor_amazon_channel.orders.models import AmazonOrder
    from tests.standin.adapter import _allocate
    from tests.standin.channel.models import Channel
    from tests.standin.order.models import Order, OrderLine
    from tests.standin.product.models import ProductVariant
    from tests.standin.warehouse.models import Stock

    channel = Channel.objects.get(pk=store.channel_id)
    wins = {"checkout": 0, "amazon": 0, "none": 0}
    rng = random.Random(4)
    oversold, lost = 0, 0
    for variant_id in variants:
        variant = ProductVariant.objects.get(pk=variant_id)
        order_id = emu.post("/orders", {"selling_partner_id": SELLER, "items": [
            {"seller_sku": variant.sku, "quantity": 1, "unit_price": "30.00"}], "marketplace_id": US,
            "status": "Unshipped"})["order"]["orderId"]
        emu.advance(2.5)  # getOrder's plan: 0.5/s
        if not poller.refresh_order(store, order_id):
            raise RuntimeError("getOrder failed")
        row = AmazonOrder.objects.get(store=store, amazon_order_id=order_id)
        barrier = threading.Barrier(2)
        jitter = rng.uniform(0, 0.03)
        outcome = {}

        def checkout(variant=variant, barrier=barrier, outcome=outcome, jitter=jitter):
            barrier.wait()
            time.sleep(jitter)  # who reaches the stock first varies from race to race
            try:
                with transaction.atomic():
                    order = Order.objects.create(status="unfulfilled", origin="checkout", currency="USD",
                                                 channel=channel, lines_count=1, user_email="shopper@example.com")
                    line = OrderLine.objects.create(
                        order=order, variant=variant, product_name="Last unit", product_sku=variant.sku, quantity=1,
                        currency="USD", unit_price_net_amount=30, unit_price_gross_amount=30,
                        total_price_net_amount=30, total_price_gross_amount=30)
                    _allocate(channel, [line])
                outcome["checkout"] = True
            except OrderRefused:
                outcome["checkout"] = False
            finally:
                connections.close_all()

        def amazon(pk=row.pk, barrier=barrier, outcome=outcome):
            barrier.wait()
            try:
                outcome["amazon"] = sync.apply(pk).action
            finally:
                connections.close_all()

        threads = [threading.Thread(target=checkout), threading.Thread(target=amazon)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        row.refresh_from_db()
        sold = Order.objects.filter(lines__variant_id=variant_id).exclude(status="canceled").count()
        held = Stock.objects.filter(product_variant_id=variant_id).values_list("quantity", "quantity_allocated")
        if sold > 1 or any(a > q for q, a in held):
            oversold += 1
        if not row.saleor_order_id and row.problem != "INSUFFICIENT_STOCK":
            lost += 1  # an Amazon order neither imported nor kept with its reason
        if outcome.get("checkout"):
            wins["checkout"] += 1
        elif row.saleor_order_id:
            wins["amazon"] += 1
        else:
            wins["none"] += 1
    return {"races": len(variants), "oversold": oversold, "lost": lost, **wins}


# --- 5: shipments -----------------------------------------------------------------------------------------------


def shipments_back(emu: Emu, store, n: int) -> dict:
    """Fulfillments in batches of 40 a minute; a worker sends what the hooks queue, on the emulated clock."""
    from django.db import transaction

    from saleor_amazon_channel.orders import hooks
    from saleor_amazon_channel.orders import shipments as shipments_module
    from saleor_amazon_channel.orders.models import AmazonOrder, AmazonShipment, ShipmentStatus
    from tests.standin.order.models import Fulfillment, FulfillmentLine, Order

    queued: list[tuple[float, int, int]] = []  # (due, sequence, shipment id): the worker's queue
    sequence = [0]

    def enqueue(pk, due=None):
        sequence[0] += 1
        heapq.heappush(queued, (vnow() if due is None else due, sequence[0], pk))

    # What confirm_shipment_task.delay does once the host's transaction commits, into this bench's queue.
    shipments_module.queue = lambda pk: transaction.on_commit(lambda: enqueue(pk))
    rows = list(AmazonOrder.objects.filter(store=store, amazon_status="UNSHIPPED", saleor_state="unfulfilled",
                                           buyer_cancel_requested=False).order_by("pk")[:n])
    rng = random.Random(5)
    plans = []  # (saleor order id, [(line, quantity)...]) one entry per fulfillment
    for row in rows:
        order = Order.objects.get(pk=row.saleor_order_id)
        lines = list(order.lines.all())
        if len(plans) % 5 == 0 and any(line.quantity > 1 for line in lines):
            first = [(line, 1) for line in lines if line.quantity > 1][:1]
            rest = [(line, line.quantity - (1 if (line, 1) in first else 0)) for line in lines]
            plans.append((order.pk, first))
            plans.append((order.pk, [(line, q) for line, q in rest if q]))
        else:
            plans.append((order.pk, [(line, line.quantity) for line in lines]))
        if len(plans) >= n:
            break
    plans = plans[:n]
    emu.post("/orders/faults", {"operation": "confirmShipment", "status": 503, "count": 1})
    emu.post("/orders/faults", {"operation": "confirmShipment", "status": 429, "count": 1})
    before = emu.calls()
    created_at: dict[int, float] = {}
    next_batch = vnow()
    position = 0
    sweeps = 0
    last_sweep = vnow()
    while position < len(plans) or queued:
        if position < len(plans) and vnow() >= next_batch:
            for order_pk, parts in plans[position:position + 40]:
                with transaction.atomic():
                    order = Order.objects.select_for_update().get(pk=order_pk)
                    fulfillment = Fulfillment.objects.create(
                        order=order, fulfillment_order=order.fulfillments.count() + 1,
                        tracking_number=f"1Z{rng.randrange(10**15):015d}")
                    for line, quantity in parts:
                        FulfillmentLine.objects.create(order_line=line, fulfillment=fulfillment, quantity=quantity)
                    created_at[fulfillment.pk] = vnow()
                    hooks.fulfillment_created(str(order.pk), fulfillment.pk)
            position += 40
            next_batch += 60
            continue
        if vnow() - last_sweep >= INTERVAL:
            with transaction.atomic():
                shipments_module.sweep()  # the beat's safety net
            last_sweep, sweeps = vnow(), sweeps + 1
        if queued and queued[0][0] <= vnow():
            _, _, pk = heapq.heappop(queued)
            wait = shipments_module.send(pk, sleep=lambda seconds: emu.advance(seconds))
            if wait is not None:
                enqueue(pk, vnow() + wait)  # the task's retry countdown
            continue
        due = min(([queued[0][0]] if queued else []) + ([next_batch] if position < len(plans) else []))
        emu.advance(max(0.001, due - vnow()))
    after = emu.calls()
    confirmations: dict[str, int] = {}
    for row in rows:
        for sent in emu.get(f"/orders/{row.amazon_order_id}")["shipmentConfirmations"]:
            reference = sent["packageDetail"]["packageReferenceId"]
            confirmations[reference] = confirmations.get(reference, 0) + 1
    shipped = AmazonShipment.objects.filter(fulfillment_id__in=list(created_at))
    delays = [(s.confirmed_at.timestamp() - created_at[s.fulfillment_id]) for s in shipped if s.confirmed_at]
    return {
        "fulfillments": len(created_at), "orders": len({p[0] for p in plans}),
        "confirmed": shipped.filter(status=ShipmentStatus.CONFIRMED).count(),
        "calls": after["calls"]["confirmShipment"] - before["calls"]["confirmShipment"],
        "refused_for_rate": after["throttled"]["confirmShipment"] - before["throttled"]["confirmShipment"],
        "accepted_by_amazon": sum(confirmations.values()),
        "confirmed_twice": sum(1 for n in confirmations.values() if n > 1),
        "never": sum(1 for pk in created_at if confirmations.get(str(pk), 0) == 0),
        "delays": delays, "sweeps": sweeps,
    }


# --- main -------------------------------------------------------------------------------------------------------


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--full", action="store_true",
                        help="the issue's sizes: 1,000 orders over 6 emulated hours, 3,000 backlog orders, 50 races, "
                             "200 fulfillments")
    parser.add_argument("--orders", type=int)
    parser.add_argument("--hours", type=float)
    parser.add_argument("--backlog", type=int)
    parser.add_argument("--races", type=int)
    parser.add_argument("--shipments", type=int)
    args = parser.parse_args()
    sizes = (1000, 6.0, 3000, 50, 200) if args.full else (300, 2.0, 0, 20, 80)
    for name, size in zip(("orders", "hours", "backlog", "races", "shipments"), sizes, strict=True):
        if getattr(args, name) is None:
            setattr(args, name, size)
    logging.disable(logging.WARNING)
    setup_django()
    install_clock()
    import tempfile

    from bench_catalog import populate
    from bench_listings import store_for

    from amazon_emulator import Emulator
    from tests.amazon_fixtures import LOGIN_URI, REDIRECT_URI
    from tests.fixtures import APPLICATION_ID, CLIENT_ID, CLIENT_SECRET
    from tests.standin.channel.models import Channel
    from tests.standin.product.models import ProductVariant, ProductVariantChannelListing

    reset()
    activate_plugin()
    emulator = Emulator(port=free_port())
    emulator.register_app(APPLICATION_ID, CLIENT_ID, CLIENT_SECRET, [REDIRECT_URI], login_uri=LOGIN_URI, draft=False)
    url = f"http://127.0.0.1:{emulator.port}"
    point_at(url)
    channel = Channel.objects.create(name="Bench orders", slug="bench-orders", currency_code="USD")
    populate(SKUS + args.races, channel)
    ids = list(ProductVariantChannelListing.objects.filter(channel=channel).order_by("variant_id")
               .values_list("variant_id", flat=True))
    skus = dict(ProductVariant.objects.filter(pk__in=ids).values_list("pk", "sku"))
    plenty = [pk for pk in ids if int(skus[pk].split("-")[1]) < SKUS]
    last_units = [pk for pk in ids if int(skus[pk].split("-")[1]) >= SKUS]
    stock(channel, {**dict.fromkeys(plenty, 1000000), **dict.fromkeys(last_units, 1)})
    store = store_for(emulator, channel, SELLER)
    backlog_store = store_for(emulator, channel, BACKLOG_SELLER)
    child = serve_in_child(emulator, "/_emulator/state")
    emu = Emu(url)
    start = vnow()
    order_settings(store, start)
    order_settings(backlog_store, start)
    load = os.getloadavg()
    print(f"load {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} at start", flush=True)
    try:
        with tempfile.TemporaryDirectory(prefix="bench-orders-") as events_dir:
            run = exactly_once(emu, store, args, events_dir)
            result = check(emu, store, run, events_dir)
        killed = run["killed"]
        print(f"exactly once: {len(run['placed'])} Amazon orders over {run['emulated_hours']:.1f} emulated hours "
              f"({run['ticks']} polls of 2 pollers, {run['elapsed']:.0f} s), final Amazon statuses "
              f"{result['final_statuses']}, {result['buyer_cancel_requests']} buyer cancel requests; injected "
              f"{run['faults']['429']}×429 and {run['faults']['5xx']}×5xx on searchOrders; poller SIGKILLed with "
              f"{killed['recorded_at_kill'] - killed['recorded_before']} of its poll's {killed['tick_orders']} "
              f"orders recorded", flush=True)
        print(f"  Saleor orders {result['saleor_orders']}: duplicate {result['duplicates']}, missing "
              f"{result['missing']}, status not applied {result['stale']} {result['stale_examples'] or ''}; "
              f"problems {result['problems'] or 0}; stock allocated {result['allocated']} = units of orders not "
              f"cancelled {result['held']}: {result['allocated'] == result['held']}", flush=True)
        p50, p95 = percentiles(result["latency"])
        print(f"latency Amazon creation → Saleor order ({len(result['latency'])} orders): p50 {p50:.0f} s, p95 "
              f"{p95:.0f} s, max {max(result['latency']):.0f} s; bound: poll interval {INTERVAL:.0f} s + Amazon's "
              f"{MIN_AGE:.0f} s = {INTERVAL + MIN_AGE:.0f} s: {'within' if p95 <= INTERVAL + MIN_AGE else 'OVER'}",
              flush=True)
        f50, f95 = percentiles(result["latency_free"])
        print(f"  without the {result['held_up']} orders the killed poll held up (created until the "
              f"first poll after the kill, {result['resumed']:.0f} s on, once the dead poller's lease ran out: it "
              f"finished the killed poll's window and read the next): p50 {f50:.0f} s, "
              f"p95 {f95:.0f} s: {'within' if f95 <= INTERVAL + MIN_AGE else 'OVER'}", flush=True)
        u50, u95 = percentiles(result["unchanged"])
        print(f"  of those, the {len(result['unchanged'])} orders Amazon did not change before their import (a change "
              f"moves lastUpdatedTime, which searchOrders reads, past the window): p50 {u50:.0f} s, p95 {u95:.0f} s: "
              f"{'within' if u95 <= INTERVAL + MIN_AGE else 'OVER'}", flush=True)
        if args.backlog:
            rate = sustained(emu, backlog_store, args.backlog)
            print(f"sustained import: {rate['imported']} backlog orders in {rate['total_hours']:.2f} emulated h "
                  f"({rate['wall']:.0f} s, {rate['polls']} polls, {rate['calls']} searchOrders calls); "
                  f"{rate['burst']} in the first burst, then {rate['rate']:.0f} orders/hour over "
                  f"{rate['hours']:.2f} h (Amazon's plan: 0.0056/s × 100 = 2016/h); refused for rate "
                  f"{rate['refused']}", flush=True)
        else:
            print("sustained import: skipped (--full or --backlog N: it takes the burst of 2,000 and more)", flush=True)
        if args.races:
            raced = race(emu, store, last_units[:args.races])
            print(f"last unit raced {raced['races']}×, storefront checkout vs Amazon order: checkout won "
                  f"{raced['checkout']}, Amazon won {raced['amazon']}, neither {raced['none']}; oversold "
                  f"{raced['oversold']}; Amazon orders lost (neither imported nor kept with a reason) "
                  f"{raced['lost']}", flush=True)
        if args.shipments:
            shipped = shipments_back(emu, store, args.shipments)
            s50, s95 = percentiles(shipped["delays"]) if shipped["delays"] else (float("nan"),) * 2
            print(f"shipments: {shipped['fulfillments']} fulfillments of {shipped['orders']} orders in batches of "
                  f"40/min (503 and 429 injected); confirmed {shipped['confirmed']}, accepted by Amazon "
                  f"{shipped['accepted_by_amazon']}, twice {shipped['confirmed_twice']}, never {shipped['never']}; "
                  f"confirmShipment calls {shipped['calls']} (refused for rate {shipped['refused_for_rate']}); "
                  f"fulfillment → Amazon 204: p50 {s50:.1f} s, p95 {s95:.1f} s "
                  f"({'within' if s95 <= 60 else 'OVER'} a minute)", flush=True)
        refused = emu.calls()["throttled"]
        print(f"requests refused for rate over the whole run: {refused}", flush=True)
    finally:
        child.terminate()


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--poller":
        poller_main(int(sys.argv[2]), sys.argv[3], sys.argv[4])
    else:
        main()
