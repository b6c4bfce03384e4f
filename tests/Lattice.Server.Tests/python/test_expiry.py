"""Key expiry: SET EX/PX, EXPIRE/PEXPIRE, TTL/PTTL, PERSIST, and keys disappearing on time."""
import time

from lattice_check import connect, eq, check, run

r = connect()


def wait_until_gone(key, within):
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if r.exists(key) == 0:
            return
        time.sleep(0.05)
    raise AssertionError(f"{key!r} still exists {within}s after it should have expired (ttl {r.pttl(key)} ms)")


def set_ex():
    r.delete("x:ex")
    eq(r.set("x:ex", "v", ex=1), True, "SET EX 1")
    ttl = r.ttl("x:ex")
    check(ttl in (0, 1), f"TTL right after SET EX 1 is 0 or 1, got {ttl}")
    eq(r.get("x:ex"), b"v", "GET before expiry")
    time.sleep(1.1)
    eq(r.get("x:ex"), None, "GET after expiry")
    eq(r.exists("x:ex"), 0, "EXISTS after expiry")
    eq(r.ttl("x:ex"), -2, "TTL of a missing key")


def pexpire():
    r.set("x:p", "v")
    eq(r.ttl("x:p"), -1, "TTL without expiry")
    eq(r.pexpire("x:p", 300), True, "PEXPIRE")
    pttl = r.pttl("x:p")
    check(0 < pttl <= 300, f"PTTL after PEXPIRE 300 is in (0, 300], got {pttl}")
    wait_until_gone("x:p", 2)
    eq(r.pexpire("x:missing", 100), False, "PEXPIRE on a missing key")


def set_px_and_keys_lifecycle():
    r.set("x:px", "v", px=200)
    r.set("x:keep", "v")
    check(b"x:px" in r.keys("x:*"), "key listed before expiry")
    time.sleep(0.4)
    check(b"x:px" not in r.keys("x:*"), "expired key not listed by KEYS")
    eq(r.get("x:keep"), b"v", "unexpiring key kept")


def persist_and_overwrite():
    r.set("x:persist", "v", ex=1)
    eq(r.persist("x:persist"), True, "PERSIST")
    eq(r.ttl("x:persist"), -1, "TTL after PERSIST")
    r.set("x:over", "v", ex=1)
    r.set("x:over", "w")  # a plain SET clears the TTL
    eq(r.ttl("x:over"), -1, "TTL after plain SET")
    r.set("x:keepttl", "v", ex=100)
    r.set("x:keepttl", "w", keepttl=True)
    check(90 < r.ttl("x:keepttl") <= 100, "SET KEEPTTL keeps the TTL")
    time.sleep(1.1)
    eq(r.get("x:persist"), b"v", "persisted key survives its old deadline")
    eq(r.get("x:over"), b"w", "overwritten key survives its old deadline")


def expire_in_the_past_and_expireat():
    r.set("x:past", "v")
    eq(r.expire("x:past", -1), True, "EXPIRE with a negative time")
    eq(r.exists("x:past"), 0, "a key expired in the past is gone at once")
    r.set("x:at", "v")
    eq(r.pexpireat("x:at", int(time.time() * 1000) + 300), True, "PEXPIREAT")
    wait_until_gone("x:at", 2)
    r.hset("x:hash", "f", "v")
    eq(r.expire("x:hash", 1), True, "EXPIRE on a hash")
    wait_until_gone("x:hash", 2.5)


def active_expiry_shrinks_dbsize():
    r.flushdb()
    for i in range(100):
        r.set(f"x:many:{i}", "v", px=100)
    r.set("x:stay", "v")
    deadline = time.monotonic() + 5
    while r.dbsize() > 1 and time.monotonic() < deadline:
        time.sleep(0.1)
    eq(r.dbsize(), 1, "DBSIZE after expired keys are reclaimed without being touched")


run(set_ex, pexpire, set_px_and_keys_lifecycle, persist_and_overwrite, expire_in_the_past_and_expireat,
    active_expiry_shrinks_dbsize)
