"""The client address an audit record names (``access_point``): an outside review found every browser record
``web:unknown``, because Streamlit gives no address for a connection from this host, and in production every
request comes through the reverse proxy on this host."""

from __future__ import annotations

import pytest

from app.session import client_access_point


@pytest.mark.parametrize(("ip", "headers", "expected"), [
    (None, {"X-Forwarded-For": "203.0.113.7"}, "web:203.0.113.7 via proxy"),
    # the last address is the one the proxy saw; what the client put before it is its own word
    (None, {"X-Forwarded-For": "198.51.100.1, 203.0.113.7"}, "web:203.0.113.7 via proxy"),
    (None, {"X-Real-IP": "2001:db8::1"}, "web:2001:db8::1 via proxy"),
    (None, {"X-Forwarded-For": "<script>", "X-Real-IP": "203.0.113.8"}, "web:203.0.113.8 via proxy"),
    (None, {"X-Forwarded-For": "not an address"}, "web:localhost"),
    (None, {}, "web:localhost"),
    # a direct client (a server bound beyond this host): its own address, whatever the headers say
    ("192.0.2.4", {"X-Forwarded-For": "203.0.113.7"}, "web:192.0.2.4"),
])
def test_the_client_address(ip: str | None, headers: dict[str, str], expected: str) -> None:
    assert client_access_point(ip, headers) == expected
