"""lib.config.origins: the origins the app knows and where Stripe sends a shopper back."""
import pytest

from lib.config.origins import known_origins, normalise_origin, request_origin, return_origin

APP = "http://localhost:8501"
KNOWN = known_origins(APP, 8501, ["https://shop.example.org"])


def test_origins_are_normalised():
    assert normalise_origin("HTTP://LocalHost:8501/basket?x=1") == "http://localhost:8501"
    assert normalise_origin("https://shop.example.org:443") == "https://shop.example.org"
    assert normalise_origin("http://[::1]:8501") == "http://[::1]:8501"
    for bad in ("ftp://example.org", "localhost:8501", "http://user@evil.example",
                "http://host:99999", "", "javascript:alert(1)"):
        assert normalise_origin(bad) is None, bad


def test_known_origins_are_app_url_both_loopback_names_and_public_urls():
    assert KNOWN == ["http://localhost:8501", "http://127.0.0.1:8501", "http://[::1]:8501",
                     "https://shop.example.org"]


def test_a_proxied_app_url_knows_the_proxy_and_the_internal_port():
    known = known_origins("http://127.0.0.1:18080", 8501)
    assert known == ["http://127.0.0.1:18080", "http://localhost:18080", "http://[::1]:18080",
                     "http://localhost:8501", "http://127.0.0.1:8501", "http://[::1]:8501"]
    public = known_origins("https://shop.example.org", 8501)
    assert public[0] == "https://shop.example.org" and "http://localhost:8501" in public
    assert "http://localhost" not in public and "https://localhost" not in public


@pytest.mark.parametrize("headers, expected", [
    ({"Origin": "http://127.0.0.1:8501", "Host": "127.0.0.1:8501"}, "http://127.0.0.1:8501"),
    ({"origin": "http://LOCALHOST:8501"}, "http://localhost:8501"),
    ({"Host": "127.0.0.1:8501"}, "http://127.0.0.1:8501"),
    ({"Host": "10.0.0.5:8501", "X-Forwarded-Host": "shop.example.org, 10.0.0.5",
      "X-Forwarded-Proto": "https"}, "https://shop.example.org"),
    ({"Origin": "null", "Host": "localhost:8501"}, "http://localhost:8501"),
    ({}, None),
])
def test_the_request_names_its_origin(headers, expected):
    assert request_origin(headers) == expected


@pytest.mark.parametrize("headers, expected", [
    ({"Origin": "http://127.0.0.1:8501"}, "http://127.0.0.1:8501"),
    ({"Origin": "http://localhost:8501"}, "http://localhost:8501"),
    ({"Host": "shop.example.org", "X-Forwarded-Proto": "https"}, "https://shop.example.org"),
    ({}, APP),
])
def test_a_shopper_on_a_known_origin_is_sent_back_there(headers, expected):
    assert return_origin(APP, KNOWN, headers) == expected


@pytest.mark.parametrize("headers", [
    {"Host": "evil.example"},
    {"Host": "evil.example:8501"},
    {"Origin": "https://evil.example"},
    {"Origin": "http://localhost:8501.evil.example"},
    {"Host": "localhost:8501", "X-Forwarded-Host": "evil.example"},
    {"Origin": "http://localhost:8502"},             # another app on this machine
    {"Origin": "https://localhost:8501"},            # the right host, another scheme
    {"Host": "shop.example.org@evil.example"},
    {"Origin": "not a url"},
])
def test_a_forged_host_or_origin_never_sends_shoppers_elsewhere(headers):
    assert return_origin(APP, KNOWN, headers) == APP


def test_an_app_under_a_path_keeps_the_path_at_each_origin():
    app = "https://proxy.example.org/shop/"
    known = known_origins(app, 8501)
    assert return_origin(app, known, {"Origin": "http://127.0.0.1:8501"}) == \
        "http://127.0.0.1:8501/shop"
    assert return_origin(app, known, {"Host": "evil.example"}) == "https://proxy.example.org/shop"
