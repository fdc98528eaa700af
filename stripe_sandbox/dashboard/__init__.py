"""The sandbox's Dashboard at /dashboard: payments with refunds, events with resends."""
