"""Sales dashboard: revenue over time, orders by status, categories, top products (presenters)."""
import pandas as pd
import streamlit as st

from lib.config.redaction import store_name
from lib.presenter.sales_dashboard import build_dashboard
from lib.shop.money import to_decimal
from lib.stores.errors import StoreError
from ui.frame import presenter_frame
from ui.markdown_text import problem_text
from ui.widgets import money

svc, _ = presenter_frame()
currency = svc.settings.store_currency

st.title("Sales dashboard")
st.caption(f"Every shopper's orders in {currency}, added up by the store itself "
           f"(the {store_name(svc.orders)}). Times are UTC; revenue counts paid orders, shipping "
           "included.")
try:
    summary = svc.orders.sales_summary(currency)
    board = build_dashboard(summary, svc.catalog)
    # Counted by the store with the rest of the summary: no query of its own.
    generated = summary.generated_orders if svc.settings.stripe_mode == "sandbox" else 0
except StoreError as exc:
    st.error(f"The sales figures cannot be read right now: {problem_text(exc)}")
    st.page_link("pages/setup.py", label="Setup check", icon=":material/checklist:")
    st.stop()


def major(minor: int) -> float:
    """Minor units as a number of whole currency units, for chart axes."""
    return float(to_decimal(minor, currency))


revenue, paid, basket = st.columns(3)
revenue.metric("Revenue", money(svc, board.revenue))
paid.metric("Paid orders", f"{board.paid_orders:,}")
basket.metric("Average basket", money(svc, board.average_basket))
if generated:
    st.caption(f":material/auto_awesome: {generated:,} of these orders are generated demo data "
               "(each marked so by the generator); the Demo data page removes them.")
if board.empty:
    st.info("No orders yet. Buy something in the shop, or add demo data, and come back.",
            icon=":material/monitoring:")
    st.stop()

st.subheader(f"Revenue by {board.granularity}")
chart, figures = st.columns([3, 2])
fmt = "%Y-%m-%d %H:00" if board.granularity == "hour" else "%Y-%m-%d"
chart.bar_chart(pd.DataFrame({board.granularity: [p.start for p in board.revenue_over_time],
                              f"revenue ({currency})": [major(p.revenue)
                                                        for p in board.revenue_over_time]}),
                x=board.granularity, y=f"revenue ({currency})", height=280)
figures.dataframe([{board.granularity: p.start.strftime(fmt), "orders": p.orders,
                    "revenue": money(svc, p.revenue)}
                   for p in reversed(board.revenue_over_time) if p.orders],
                  hide_index=True, height=280)

st.subheader("Orders by status")
chart, figures = st.columns([3, 2])
chart.bar_chart(pd.DataFrame({"status": [s for s, _, _ in board.by_status],
                              "orders": [n for _, n, _ in board.by_status]}),
                x="status", y="orders", horizontal=True, height=200)
figures.dataframe([{"status": s, "orders": n, "amount": money(svc, a)}
                   for s, n, a in board.by_status], hide_index=True)

st.subheader("Revenue by category")
chart, figures = st.columns([3, 2])
chart.bar_chart(pd.DataFrame({"category": [c for c, _, _ in board.by_category],
                              f"revenue ({currency})": [major(r) for _, _, r in board.by_category]}),
                x="category", y=f"revenue ({currency})", horizontal=True, height=240)
figures.dataframe([{"category": c, "units": u, "revenue": money(svc, r)}
                   for c, u, r in board.by_category], hide_index=True)

by_units, by_revenue = st.columns(2)
for column, title, lines, key in ((by_units, "Top products by units", board.top_by_units, "units"),
                                  (by_revenue, "Top products by revenue", board.top_by_revenue,
                                   "revenue")):
    with column:
        st.subheader(title)
        values = [p.units if key == "units" else major(p.revenue) for p in lines]
        st.bar_chart(pd.DataFrame({"product": [p.name for p in lines], key: values}),
                     x="product", y=key, horizontal=True, height=220)
        st.dataframe([{"product": p.name, "units": p.units, "revenue": money(svc, p.revenue)}
                      for p in lines], hide_index=True)
