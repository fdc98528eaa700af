"""Where Storefront keeps things: the order store port and its adapters, baskets, the webhook log."""
