"""Orders: the order model, the record written per purchase, the order as read back, sales figures."""
