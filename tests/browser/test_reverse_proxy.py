"""The whole purchase through a real reverse proxy: Debian's nginx, started here with a
generated config that forwards WebSockets, in front of the app and the sandbox's hosted page on
other ports; APP_URL and SANDBOX_PUBLIC_URL are the proxied addresses, and the browser never
talks to the internal ports (it is the stand-in for Codespaces' and a container's forwarding)."""
from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from harness.nginx import start_nginx
from harness.processes import free_port
from tests.browser.processes import launch_storefront
from tests.browser.screen import origins_seen
from tests.browser.shopper import buy_and_come_back

# Streamlit talks over a WebSocket: pass the upgrade on, keep idle sockets open.
PROXY = """    map $http_upgrade $connection_upgrade {{ default upgrade; '' close; }}
    server {{
        listen 127.0.0.1:{shop};
        location / {{
            proxy_pass http://127.0.0.1:{web};
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_read_timeout 1h;
        }}
    }}
    server {{
        listen 127.0.0.1:{pay};
        location / {{
            proxy_pass http://127.0.0.1:{sandbox};
            proxy_set_header Host $http_host;
        }}
    }}"""


@pytest.fixture(scope="module")
def proxied_shop(tmp_path_factory, nginx_here):
    """nginx on two public ports in front of the demo's internal ones."""
    base = tmp_path_factory.mktemp("proxy")
    ports = {"web": free_port(), "webhook": free_port(), "sandbox": free_port()}
    public = {"shop": free_port(), "pay": free_port()}
    app_url, pay_url = (f"http://localhost:{public['shop']}",
                        f"http://localhost:{public['pay']}")
    shop = launch_storefront(base, base / "data", ports=ports,
                             public={"APP_URL": app_url, "SANDBOX_PUBLIC_URL": pay_url})
    try:
        proxy = start_nginx(base / "nginx", PROXY.format(**ports, **public), public["shop"],
                            "/_stcore/health")
    except Exception:
        shop.stop()
        raise
    shop.servers.append(proxy)
    yield shop, ports, app_url, pay_url
    shop.stop()


def test_a_purchase_through_the_proxy_never_touches_the_internal_ports(page: Page,
                                                                      proxied_shop):
    shop, ports, app_url, pay_url = proxied_shop
    seen = origins_seen(page)
    hosted = buy_and_come_back(page, app_url, "asha.proxied@example.com")
    assert hosted.url.startswith(f"{app_url}/")  # Stripe's return came through the proxy
    assert seen == {app_url, pay_url}, f"the browser talked to {seen}"
    internal = set(ports.values())
    assert not {urlsplit(origin).port for origin in seen} & internal
    expect(hosted.get_by_text("1 order", exact=True)).to_be_visible()
