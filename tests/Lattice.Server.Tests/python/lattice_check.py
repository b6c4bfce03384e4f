"""Shared helpers for the client scripts: connect to the server under test and fail loudly.

Every script takes the server's port as its only argument, exits 0 when all checks pass and
non-zero with an AssertionError naming the failed check otherwise.
"""
import sys
import traceback

import redis


def port():
    if len(sys.argv) != 2:
        raise SystemExit(f"usage: {sys.argv[0]} PORT")
    return int(sys.argv[1])


def connect(**kwargs):
    kwargs.setdefault("socket_timeout", 15)
    return redis.Redis(host="127.0.0.1", port=port(), **kwargs)


def eq(actual, expected, what):
    if actual != expected:
        raise AssertionError(f"{what}: expected {expected!r}, got {actual!r}")


def check(condition, what):
    if not condition:
        raise AssertionError(what)


def raises(exception_type, what, fn, *args, message_prefix=None, **kwargs):
    """Calls fn and requires it to raise exception_type (with a message starting with message_prefix)."""
    try:
        result = fn(*args, **kwargs)
    except exception_type as e:
        if message_prefix is not None and not str(e).startswith(message_prefix):
            raise AssertionError(f"{what}: error {str(e)!r} does not start with {message_prefix!r}") from e
        return e
    raise AssertionError(f"{what}: expected {exception_type.__name__}, got result {result!r}")


def run(*sections):
    """Runs each section function in order; reports the first failure with its traceback and exits 1."""
    for section in sections:
        try:
            section()
        except Exception:  # noqa: BLE001 - any failure must become a readable message and exit code 1
            print(f"FAILED in {section.__name__}:", file=sys.stderr)
            traceback.print_exc()
            sys.exit(1)
        print(f"ok {section.__name__}")
    print("all checks passed")


def raw(client, *args):
    """Sends one command on a single_connection_client and returns the reply as parsed from the wire, without
    redis-py's per-command conversions (so QUEUED and OK stay visible); error replies raise ResponseError."""
    connection = client.connection
    check(connection is not None, "raw() needs a client made with single_connection_client=True")
    connection.send_command(*args)
    return connection.read_response()
