"""Paying in the sandbox's hosted page over plain HTTP, as a browser would (for tests)."""
import re

import requests

FORM = {"email": "ada@example.com", "name": "Ada Lovelace", "line1": "1 Analytical St",
        "city": "London", "postal_code": "SW1Y 4JH", "country": "GB", "payment_method": "card",
        "card_number": "4242 4242 4242 4242", "expiry": "12 / 39", "cvc": "123"}


def pay_in_the_page(url: str) -> requests.Response:
    """Open the hosted page, then submit it with a good card (and any hidden fields it has)."""
    browser = requests.Session()  # keeps any cookie the page sets, as a browser would
    page = browser.get(url, timeout=10)
    hidden = dict(re.findall(r'<input[^>]*type="hidden"[^>]*name="([^"]+)"[^>]*value="([^"]*)"',
                             page.text))
    return browser.post(url, data={**hidden, **FORM}, allow_redirects=False, timeout=10)
