"""The order-and-stock state machine (test_order_stock_state_machine.py) with stock operations
added: transfers sent, received in parts and cancelled, write-offs, returns and small stock
imports (snapshot and delta). Every invariant of the base machine is checked after every step
(ledger sums equal positions, 0 <= reserved <= on_hand, no oversell, waiting orders take free
units); each rule also checks its own promise: a refused action changes no row, a transfer
never takes reserved units, units in transit are neither here nor there, refused import lines
are not applied. A machine of its own, so the base machine's fixed examples stay as they were.
"""

from __future__ import annotations

from collections import Counter

from hypothesis import strategies as st
from hypothesis.stateful import precondition, rule, run_state_machine_as_test

from ordnung.core.db import Database
from ordnung.core.errors import InsufficientStockError
from ordnung.inventory import stock_sync
from ordnung.inventory.bookings import StockBooking
from ordnung.inventory.operations import TransferDraft, TransferLine, TransferReceipt
from ordnung.inventory.stock_sync import PositionFigures, SyncBatch, SyncLine, decide_line
from ordnung.inventory.transfer_queries import get_transfer, list_transfers
from ordnung.orchestration.stock_operations import (
    book_stock,
    cancel_transfer,
    import_stock,
    receive_transfer,
    send_transfer,
)
from tests.invariants.test_order_stock_state_machine import (
    ACTOR,
    EXPLORE,
    KNOWN_SKUS,
    LOCATION_CODES,
    MACHINE_SETTINGS,
    OrderStockMachine,
)

UNKNOWN = "NOPE-1"


class StockOperationsMachine(OrderStockMachine):
    def figures(self, sku: str, code: str) -> tuple[int, int]:
        found = self.now.position_at(sku, code)
        return (0, 0) if found is None else (found["on_hand"], found["reserved"])

    def open_transfers(self) -> list[int]:
        page = list_transfers(self.db, status="in_transit", limit=50)
        return [item["id"] for item in page["items"]]

    def check_only_gains_reserved(self, sku: str, code: str, reserved_before: int) -> None:
        after = self.read().position_at(sku, code)
        reserved_after = 0 if after is None else after["reserved"]
        self.check_backorders_only_gain(code, reserved_before, reserved_after)

    @rule(
        sku=st.sampled_from(KNOWN_SKUS),
        places=st.permutations(LOCATION_CODES).map(lambda codes: codes[:2]),
        quantity=st.integers(1, 6),
    )
    def send(self, sku: str, places: tuple[str, str], quantity: int) -> None:
        source, destination = places
        on_hand, reserved = self.figures(sku, source)
        arrived_before = self.figures(sku, destination)
        draft = TransferDraft(source, destination, (TransferLine(sku, quantity),), "rebalance")

        def action() -> object:
            return send_transfer(self.db, draft, actor=ACTOR)

        if on_hand - reserved < quantity:  # reserved units are never sent
            self.expect_refusal(InsufficientStockError, action, "transfer")
            return
        action()
        world = self.read()
        after = world.position_at(sku, source)
        assert after is not None
        assert (after["on_hand"], after["reserved"]) == (on_hand - quantity, reserved)
        # In transit: not yet at the destination.
        destination_now = world.position_at(sku, destination)
        assert (
            (0, 0)
            if destination_now is None
            else (destination_now["on_hand"], destination_now["reserved"])
        ) == arrived_before
        self.fired["transfer sent"] += 1

    @precondition(lambda self: self.open_transfers())
    @rule(data=st.data())
    def receive(self, data: st.DataObject) -> None:
        transfer = get_transfer(self.db, data.draw(st.sampled_from(self.open_transfers())))
        line = transfer["lines"][0]
        quantity = data.draw(st.integers(1, line["in_transit"]), label="arrived")
        on_hand, reserved = self.figures(line["sku"], transfer["to_location"])
        receipt = TransferReceipt({line["sku"]: quantity})
        moved = receive_transfer(self.db, transfer["id"], receipt, actor=ACTOR)
        assert moved.status == ("received" if quantity == line["in_transit"] else "in_transit")
        after = self.read().position_at(line["sku"], transfer["to_location"])
        assert after is not None and after["on_hand"] == on_hand + quantity
        self.check_backorders_only_gain(transfer["to_location"], reserved, after["reserved"])
        self.fired["transfer received" if moved.status == "received" else "transfer part"] += 1

    @precondition(lambda self: self.open_transfers())
    @rule(data=st.data())
    def cancel_transfer(self, data: st.DataObject) -> None:
        transfer = get_transfer(self.db, data.draw(st.sampled_from(self.open_transfers())))
        line = transfer["lines"][0]
        on_hand, reserved = self.figures(line["sku"], transfer["from_location"])
        cancel_transfer(self.db, transfer["id"], note="called off", actor=ACTOR)
        after = self.read().position_at(line["sku"], transfer["from_location"])
        assert after is not None and after["on_hand"] == on_hand + line["in_transit"]
        self.check_backorders_only_gain(transfer["from_location"], reserved, after["reserved"])
        self.fired["transfer cancelled"] += 1

    @rule(
        sku=st.sampled_from(KNOWN_SKUS),
        code=st.sampled_from(LOCATION_CODES),
        quantity=st.integers(1, 6),
        is_return=st.booleans(),
    )
    def write_off_or_return(self, sku: str, code: str, quantity: int, is_return: bool) -> None:
        on_hand, reserved = self.figures(sku, code)
        booking = (
            StockBooking("return", quantity, "customer_return")
            if is_return
            else StockBooking("write_off", quantity, "damaged")
        )

        def action() -> object:
            return book_stock(self.db, sku, code, booking, actor=ACTOR)

        if not is_return and on_hand - quantity < reserved:  # never below reserved
            self.expect_refusal(InsufficientStockError, action, "write-off")
            return
        action()
        after = self.read().position_at(sku, code)
        assert after is not None
        assert after["on_hand"] == on_hand + (quantity if is_return else -quantity)
        self.check_backorders_only_gain(code, reserved, after["reserved"])
        self.fired["return" if is_return else "write-off"] += 1

    @rule(
        mode=st.sampled_from(stock_sync.MODES),
        rows=st.lists(
            st.tuples(
                st.sampled_from((*KNOWN_SKUS, UNKNOWN)),
                st.sampled_from(LOCATION_CODES),
                st.integers(-4, 10),
            ),
            min_size=1,
            max_size=3,
            unique_by=lambda row: (row[0], row[1]),
        ),
    )
    def sync(self, mode: str, rows: list[tuple[str, str, int]]) -> None:
        if mode == stock_sync.SNAPSHOT:
            rows = [(sku, code, abs(quantity)) for sku, code, quantity in rows]
        before = {
            (sku, code): self.figures(sku, code) for sku in KNOWN_SKUS for code in LOCATION_CODES
        }
        lines = [
            SyncLine(i + 2, sku, code, quantity) for i, (sku, code, quantity) in enumerate(rows)
        ]
        outcome = import_stock(self.db, SyncBatch("state machine", mode, lines), actor=ACTOR)
        world = self.read()
        named_locations = {code for _, code, _ in rows}
        expected_refused = 0
        for sku in KNOWN_SKUS:
            for code in LOCATION_CODES:
                on_hand, reserved = before[(sku, code)]
                quantities = [q for s, c, q in rows if (s, c) == (sku, code)]
                if mode == stock_sync.SNAPSHOT and not quantities and code in named_locations:
                    quantities = [0] if on_hand else []
                after = world.position_at(sku, code)
                now = (0, 0) if after is None else (after["on_hand"], after["reserved"])
                if not quantities:
                    assert now[0] == on_hand, f"{sku}@{code} not named but changed"
                    continue
                decision = decide_line(mode, quantities[0], PositionFigures(on_hand, reserved))
                if decision.outcome in stock_sync.APPLIED_OUTCOMES:
                    assert now[0] == decision.after
                else:
                    expected_refused += 1
                    assert now[0] == on_hand, f"refused {sku}@{code} was applied"
                assert now[1] >= reserved  # nothing taken from orders
        expected_refused += sum(1 for sku, _, _ in rows if sku == UNKNOWN)
        assert outcome.refused == expected_refused
        self.fired[f"sync {mode}"] += 1
        if outcome.refused:
            self.fired["sync refused lines"] += 1


def test_stock_operations_keep_the_invariants_under_random_operations(db: Database) -> None:
    fired: Counter[str] = Counter()
    run_state_machine_as_test(lambda: StockOperationsMachine(db, fired), settings=MACHINE_SETTINGS)
    expected = {"transfer sent", "transfer refused", "transfer received", "transfer part"}
    expected |= {"transfer cancelled", "write-off", "write-off refused", "return"}
    expected |= {"sync snapshot", "sync delta", "sync refused lines", "place backordered"}
    if not EXPLORE:
        assert expected <= set(fired), f"never exercised: {expected - set(fired)}; fired {fired}"
