"""Strings, counters and generic key commands, with binary keys and values."""
from lattice_check import connect, eq, check, raises, run
import redis

r = connect()
BINARY = bytes(range(256)) + b"\r\n\x00tail"


def strings():
    r.flushdb()
    eq(r.set("s:a", "hello"), True, "SET")
    eq(r.get("s:a"), b"hello", "GET")
    eq(r.get("s:missing"), None, "GET missing")
    eq(r.append("s:a", " world"), 11, "APPEND")
    eq(r.strlen("s:a"), 11, "STRLEN")
    eq(r.getrange("s:a", 0, 4), b"hello", "GETRANGE")
    eq(r.setrange("s:a", 6, "WORLD"), 11, "SETRANGE")
    eq(r.get("s:a"), b"hello WORLD", "GET after SETRANGE")
    eq(r.set("s:a", "x", nx=True), None, "SET NX on existing")
    eq(r.set("s:new", "x", xx=True), None, "SET XX on missing")
    eq(r.setnx("s:new", "first"), True, "SETNX")
    eq(r.getset("s:new", "second"), b"first", "GETSET")
    eq(r.set("s:new", "third", get=True), b"second", "SET GET")
    eq(r.getdel("s:new"), b"third", "GETDEL")
    eq(r.exists("s:new"), 0, "EXISTS after GETDEL")
    eq(r.mset({"s:m1": "1", "s:m2": "2"}), True, "MSET")
    eq(r.mget("s:m1", "s:missing", "s:m2"), [b"1", None, b"2"], "MGET")
    eq(r.msetnx({"s:m1": "x", "s:m3": "3"}), False, "MSETNX with an existing key")
    eq(r.exists("s:m3"), 0, "MSETNX set nothing")


def counters():
    eq(r.incr("c:n"), 1, "INCR new")
    eq(r.incrby("c:n", 41), 42, "INCRBY")
    eq(r.decr("c:n"), 41, "DECR")
    eq(r.decrby("c:n", 40), 1, "DECRBY")
    eq(r.incrbyfloat("c:f", 1.5), 1.5, "INCRBYFLOAT")
    eq(r.incrbyfloat("c:f", "0.25"), 1.75, "INCRBYFLOAT again")
    r.set("c:text", "abc")
    raises(redis.ResponseError, "INCR on text", r.incr, "c:text", message_prefix="value is not an integer")
    r.set("c:max", str(2**63 - 1))
    raises(redis.ResponseError, "INCR overflow", r.incr, "c:max")


def binary():
    key = b"bin:\x00\xff\r\nkey"
    eq(r.set(key, BINARY), True, "SET binary")
    eq(r.get(key), BINARY, "GET binary")
    eq(r.strlen(key), len(BINARY), "STRLEN binary")
    eq(r.append(key, b"\x00"), len(BINARY) + 1, "APPEND binary")
    eq(r.getrange(key, 0, 3), b"\x00\x01\x02\x03", "GETRANGE binary")
    eq(r.exists(key), 1, "EXISTS binary key")
    check(key in r.keys("bin:*"), "KEYS finds the binary key")
    big = bytes(i % 251 for i in range(300_000))
    r.set("bin:big", big)
    eq(r.get("bin:big"), big, "GET of a 300 KB value")


def keys():
    r.flushdb()
    r.set("k:1", "a")
    r.set("k:2", "b")
    r.rpush("k:list", "x")
    eq(r.dbsize(), 3, "DBSIZE")
    eq(r.type("k:1"), b"string", "TYPE string")
    eq(r.type("k:list"), b"list", "TYPE list")
    eq(r.type("k:none"), b"none", "TYPE none")
    eq(sorted(r.keys("k:*")), [b"k:1", b"k:2", b"k:list"], "KEYS pattern")
    eq(sorted(r.keys("k:[12]")), [b"k:1", b"k:2"], "KEYS character class")
    eq(sorted(r.scan_iter(match="k:*", count=1)), [b"k:1", b"k:2", b"k:list"], "SCAN MATCH COUNT 1")
    eq(sorted(r.scan_iter(_type="list")), [b"k:list"], "SCAN TYPE")
    eq(r.exists("k:1", "k:2", "k:none"), 2, "EXISTS counts")
    eq(r.rename("k:1", "k:renamed"), True, "RENAME")
    eq(r.get("k:renamed"), b"a", "GET after RENAME")
    eq(r.renamenx("k:renamed", "k:2"), False, "RENAMENX onto existing")
    raises(redis.ResponseError, "RENAME missing", r.rename, "k:none", "k:x", message_prefix="no such key")
    eq(r.delete("k:renamed", "k:none"), 1, "DEL counts")
    eq(r.unlink("k:2"), 1, "UNLINK")
    eq(r.dbsize(), 1, "DBSIZE after deletes")
    eq(r.ping(), True, "PING")
    eq(r.echo(b"\x00echo"), b"\x00echo", "ECHO")
    eq(r.flushdb(), True, "FLUSHDB")
    eq(r.dbsize(), 0, "DBSIZE after FLUSHDB")


def errors():
    raises(redis.ResponseError, "unknown command", r.execute_command, "NOSUCHCMD", message_prefix="unknown command")
    raises(redis.ResponseError, "wrong arity", r.execute_command, "GET", message_prefix="wrong number of arguments")
    r.rpush("e:list", "a")
    raises(redis.ResponseError, "WRONGTYPE", r.get, "e:list", message_prefix="WRONGTYPE")
    raises(redis.ResponseError, "SET with a bad option", r.execute_command, "SET", "e:k", "v", "BOGUS",
           message_prefix="syntax error")


run(strings, counters, binary, keys, errors)
