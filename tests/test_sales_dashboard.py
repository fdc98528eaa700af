"""lib.presenter.sales_dashboard: periods by hour or day with gaps filled, categories, statuses,
averages."""
from datetime import UTC, datetime, timedelta

import pytest

from lib.orders.model import OrderStatus
from lib.orders.sales import HourTotal, ProductTotal, SalesSummary, StatusTotal
from lib.presenter.sales_dashboard import NOT_IN_CATALOG, build_dashboard, status_label

T0 = datetime(2026, 5, 1, 22, tzinfo=UTC)


@pytest.fixture
def catalog(shipped_catalog):
    """The shipped catalog in INR."""
    return shipped_catalog("INR")


def test_two_days_of_sales_are_hourly_with_empty_hours_filled(catalog):
    summary = SalesSummary("INR", (StatusTotal(OrderStatus.PAID, 3, 600),),
                           (HourTotal(T0, 1, 100), HourTotal(T0 + timedelta(hours=3), 2, 500)))
    board = build_dashboard(summary, catalog)
    assert board.granularity == "hour"
    assert [(p.start.hour, p.orders, p.revenue) for p in board.revenue_over_time] == [
        (22, 1, 100), (23, 0, 0), (0, 0, 0), (1, 2, 500)]
    assert board.average_basket == 200


def test_longer_spans_are_daily_and_hours_of_a_day_add_up(catalog):
    hours = (HourTotal(T0, 1, 100), HourTotal(T0 + timedelta(hours=2), 1, 50),
             HourTotal(T0 + timedelta(days=3), 1, 7))
    board = build_dashboard(SalesSummary("INR", (), hours), catalog)
    assert board.granularity == "day"
    assert [(p.start.day, p.orders, p.revenue) for p in board.revenue_over_time] == [
        (1, 1, 100), (2, 1, 50), (3, 0, 0), (4, 1, 7)]
    assert all(p.start.hour == 0 for p in board.revenue_over_time)


def test_statuses_in_a_fixed_order_with_readable_labels(catalog):
    summary = SalesSummary("INR", (StatusTotal("refunded", 1, 5),
                                   StatusTotal(OrderStatus.PAYMENT_FAILED, 2, 9),
                                   StatusTotal(OrderStatus.PAID, 1, 3),
                                   StatusTotal(OrderStatus.AWAITING_PAYMENT, 4, 1),
                                   StatusTotal("on_hold", 1, 1)))
    board = build_dashboard(summary, catalog)
    assert [s for s, _, _ in board.by_status] == [
        "Paid", "Awaiting payment", "Payment failed", "Refunded", "On hold"]
    assert status_label("awaiting_payment") == "Awaiting payment"
    assert not board.empty


def test_no_paid_orders_means_no_average_and_an_empty_board(catalog):
    board = build_dashboard(SalesSummary("INR"), catalog)
    assert (board.revenue, board.paid_orders, board.average_basket) == (0, 0, 0)
    assert board.empty and board.revenue_over_time == [] and board.by_category == []


def test_categories_come_from_the_catalog_and_unknown_products_are_named(catalog):
    products = (ProductTotal("aurora-kettle", "Kettle", 2, 300), ProductTotal("gone", "Old", 1, 900),
                ProductTotal("harbor-cast-iron-skillet", "Skillet", 1, 50))
    board = build_dashboard(SalesSummary("INR", (), (), products), catalog)
    assert board.by_category == [(NOT_IN_CATALOG, 1, 900), ("Home & Kitchen", 3, 350)]
    assert [p.name for p in board.top_by_units] == ["Kettle", "Old", "Skillet"]
    assert [p.name for p in board.top_by_revenue] == ["Old", "Kettle", "Skillet"]
