"""The response headers Storefront adds to everything its Streamlit server sends: no other site
may frame the shop (clickjacking), while Streamlit's own same-origin frames keep working."""
from __future__ import annotations

# 'self', not 'none': Streamlit shows components and st.html sandboxes in frames of its own
# origin; any other site's frame is refused by both the modern and the older header.
FRAME_HEADERS = ((b"content-security-policy", b"frame-ancestors 'self'"),
                 (b"x-frame-options", b"SAMEORIGIN"))


class FrameAncestors:
    """ASGI middleware: every HTTP response gets FRAME_HEADERS (WebSockets pass untouched). A
    Content-Security-Policy the response has already is kept: browsers enforce both."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_framed(message):
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                headers += [(name, value) for name, value in FRAME_HEADERS
                            if name == b"content-security-policy" or name not in present]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_framed)
