"""Hashes, lists, sets and sorted sets, each round-tripping binary members and values."""
from lattice_check import connect, eq, check, raises, run
import redis

r = connect()
B1 = b"\x00\x01\xff\r\n"
B2 = bytes(range(128, 256))
B3 = b"plain"


def hashes():
    r.flushdb()
    eq(r.hset("h", mapping={B1: B2, "f": "v", B3: B1}), 3, "HSET mapping")
    eq(r.hgetall("h"), {B1: B2, b"f": b"v", B3: B1}, "HGETALL binary")
    eq(r.hget("h", B1), B2, "HGET binary field")
    eq(r.hget("h", "missing"), None, "HGET missing")
    eq(r.hlen("h"), 3, "HLEN")
    eq(r.hexists("h", B3), True, "HEXISTS")
    eq(sorted(r.hkeys("h")), sorted([B1, b"f", B3]), "HKEYS")
    eq(sorted(r.hvals("h")), sorted([B2, b"v", B1]), "HVALS")
    eq(r.hmget("h", ["f", "missing", B1]), [b"v", None, B2], "HMGET")
    eq(r.hincrby("h", "n", 5), 5, "HINCRBY")
    eq(r.hincrbyfloat("h", "x", 0.5), 0.5, "HINCRBYFLOAT")
    eq(r.hsetnx("h", "f", "other"), False, "HSETNX existing")
    eq(r.hstrlen("h", B1), len(B2), "HSTRLEN")
    eq(r.hdel("h", "f", "missing"), 1, "HDEL")
    eq(dict(r.hscan_iter("h", match="n*")), {b"n": b"5"}, "HSCAN MATCH")
    eq(r.hdel("h", B1, B3, "n", "x"), 4, "HDEL rest")
    eq(r.exists("h"), 0, "empty hash is deleted")


def lists():
    r.flushdb()
    eq(r.rpush("l", B1, B2), 2, "RPUSH")
    eq(r.lpush("l", B3), 3, "LPUSH")
    eq(r.lrange("l", 0, -1), [B3, B1, B2], "LRANGE binary")
    eq(r.llen("l"), 3, "LLEN")
    eq(r.lindex("l", -1), B2, "LINDEX")
    eq(r.lset("l", 1, b"\x00"), True, "LSET")
    eq(r.linsert("l", "BEFORE", b"\x00", "ins"), 4, "LINSERT")
    eq(r.lrange("l", 0, -1), [B3, b"ins", b"\x00", B2], "LRANGE after LINSERT")
    eq(r.rpush("l", "dup", "dup", "dup"), 7, "RPUSH dups")
    eq(r.lrem("l", 2, "dup"), 2, "LREM")
    eq(r.lpos("l", "dup"), 4, "LPOS")
    eq(r.ltrim("l", 1, -1), True, "LTRIM")
    eq(r.lpop("l"), b"ins", "LPOP")
    eq(r.rpop("l"), b"dup", "RPOP")
    eq(r.lpop("l", 5), [b"\x00", B2], "LPOP count")
    eq(r.exists("l"), 0, "empty list is deleted")
    eq(r.lpop("l"), None, "LPOP empty")
    r.rpush("src", "a", "b")
    eq(r.lmove("src", "dst", "RIGHT", "LEFT"), b"b", "LMOVE")
    eq(r.lrange("dst", 0, -1), [b"b"], "LMOVE destination")
    many = [str(i).encode() for i in range(1000)]
    r.rpush("long", *many)
    eq(r.lrange("long", 0, -1), many, "LRANGE 1000")
    eq(r.lrange("long", -3, -1), many[-3:], "LRANGE negative")


def sets():
    r.flushdb()
    eq(r.sadd("s1", B1, B2, B3, B3), 3, "SADD")
    eq(r.smembers("s1"), {B1, B2, B3}, "SMEMBERS binary")
    eq(r.sismember("s1", B2), True, "SISMEMBER")
    eq(r.smismember("s1", [B1, "no"]), [1, 0], "SMISMEMBER")
    eq(r.scard("s1"), 3, "SCARD")
    r.sadd("s2", B2, "other")
    eq(r.sinter("s1", "s2"), {B2}, "SINTER")
    eq(r.sunion("s1", "s2"), {B1, B2, B3, b"other"}, "SUNION")
    eq(r.sdiff("s1", "s2"), {B1, B3}, "SDIFF")
    eq(r.sinterstore("s3", ["s1", "s2"]), 1, "SINTERSTORE")
    eq(r.smembers("s3"), {B2}, "SINTERSTORE result")
    eq(r.srem("s1", B1, "no"), 1, "SREM")
    eq(r.smove("s1", "s2", B3), True, "SMOVE")
    eq(r.smembers("s2"), {B2, B3, b"other"}, "SMOVE destination")
    popped = r.spop("s2")
    check(popped in {B2, B3, b"other"}, f"SPOP returned a member: {popped!r}")
    eq(r.scard("s2"), 2, "SCARD after SPOP")
    eq(set(r.sscan_iter("s2")) | {popped}, {B2, B3, b"other"}, "SSCAN")
    check(r.srandmember("s2") in {B2, B3, b"other"} - {popped}, "SRANDMEMBER")


def sorted_sets():
    r.flushdb()
    eq(r.zadd("z", {B1: 1, B2: 2.5, B3: -3}), 3, "ZADD")
    eq(r.zrange("z", 0, -1, withscores=True), [(B3, -3.0), (B1, 1.0), (B2, 2.5)], "ZRANGE WITHSCORES binary")
    eq(r.zscore("z", B2), 2.5, "ZSCORE")
    eq(r.zrank("z", B1), 1, "ZRANK")
    eq(r.zrevrank("z", B1), 1, "ZREVRANK")
    eq(r.zcard("z"), 3, "ZCARD")
    eq(r.zincrby("z", 10, B3), 7.0, "ZINCRBY")
    eq(r.zrange("z", 0, -1), [B1, B2, B3], "order after ZINCRBY")
    eq(r.zrevrange("z", 0, 0), [B3], "ZREVRANGE")
    eq(r.zrangebyscore("z", 1, 3), [B1, B2], "ZRANGEBYSCORE")
    eq(r.zrangebyscore("z", "(1", "+inf"), [B2, B3], "ZRANGEBYSCORE exclusive")
    eq(r.zcount("z", "-inf", "+inf"), 3, "ZCOUNT")
    eq(r.zadd("z", {B1: 100}, xx=True, ch=True), 1, "ZADD XX CH")
    eq(r.zadd("z", {"new": 1}, nx=True), 1, "ZADD NX")
    eq(r.zrem("z", "new", "missing"), 1, "ZREM")
    r.zadd("lex", {"a": 0, "b": 0, "c": 0, "d": 0})
    eq(r.zrangebylex("lex", "[b", "(d"), [b"b", b"c"], "ZRANGEBYLEX")
    eq(r.zpopmin("z"), [(B2, 2.5)], "ZPOPMIN")
    eq(r.zpopmax("z"), [(B1, 100.0)], "ZPOPMAX")
    eq(r.zremrangebyscore("z", "-inf", "+inf"), 1, "ZREMRANGEBYSCORE")
    eq(r.exists("z"), 0, "empty sorted set is deleted")
    raises(redis.ResponseError, "ZADD with a non-number score", r.execute_command, "ZADD", "z", "abc", "m",
           message_prefix="value is not a valid float")


run(hashes, lists, sets, sorted_sets)
