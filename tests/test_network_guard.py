"""The suite runs with a guard: any connection it opens goes to loopback or nowhere."""

import socket

import pytest_socket


def test_the_suite_allows_loopback_hosts_only(pytestconfig):
    allowed = pytestconfig.getoption("allow_hosts")
    assert sorted(allowed.split(",")) == ["127.0.0.1", "::1"]


def test_connect_is_guarded_and_loopback_still_works():
    assert socket.socket.connect is not pytest_socket._true_connect
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        with socket.create_connection(server.getsockname(), timeout=5):
            pass
