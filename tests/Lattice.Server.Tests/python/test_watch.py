"""Optimistic locking: WATCH, a conflicting write from another client, and the cases that must succeed."""
from lattice_check import connect, eq, check, raises, raw, run
import redis

a = connect()
b = connect()


def conflict_aborts_exec():
    a.set("w:k", "0")
    with a.pipeline(transaction=True) as pipe:
        pipe.watch("w:k")
        current = int(pipe.get("w:k"))
        b.set("w:k", "changed by b")
        pipe.multi()
        pipe.set("w:k", str(current + 1))
        raises(redis.WatchError, "EXEC after another client modified the watched key", pipe.execute)
    eq(a.get("w:k"), b"changed by b", "the aborted transaction wrote nothing")


def conflict_on_a_watched_missing_key_that_is_created():
    a.delete("w:new")
    with a.pipeline(transaction=True) as pipe:
        pipe.watch("w:new")
        b.set("w:new", "created")
        pipe.multi()
        pipe.set("w:new", "mine")
        raises(redis.WatchError, "EXEC after another client created the watched key", pipe.execute)
    eq(a.get("w:new"), b"created", "value after the aborted transaction")


def conflict_by_deletion():
    a.set("w:del", "x")
    with a.pipeline(transaction=True) as pipe:
        pipe.watch("w:del")
        b.delete("w:del")
        pipe.multi()
        pipe.set("w:del", "mine")
        raises(redis.WatchError, "EXEC after another client deleted the watched key", pipe.execute)
    eq(a.exists("w:del"), 0, "deleted key stays deleted")


def no_conflict_commits():
    a.set("w:k", "10")
    b.set("w:other", "unrelated")  # a write to another key is not a conflict
    with a.pipeline(transaction=True) as pipe:
        pipe.watch("w:k")
        current = int(pipe.get("w:k"))
        b.set("w:other2", "also unrelated")
        pipe.multi()
        pipe.set("w:k", str(current + 1))
        pipe.get("w:k")
        eq(pipe.execute(), [True, b"11"], "EXEC without a conflict")
    eq(a.get("w:k"), b"11", "value after a committed transaction")


def unwatch_forgets_the_conflict():
    a.set("w:u", "1")
    conn = connect(single_connection_client=True)
    eq(raw(conn, "WATCH", "w:u"), b"OK", "WATCH")
    b.set("w:u", "2")
    eq(raw(conn, "UNWATCH"), b"OK", "UNWATCH")
    eq(raw(conn, "MULTI"), b"OK", "MULTI")
    eq(raw(conn, "SET", "w:u", "3"), b"QUEUED", "queued SET")
    eq(raw(conn, "EXEC"), [b"OK"], "EXEC after UNWATCH")
    eq(a.get("w:u"), b"3", "value after EXEC")
    conn.close()


def watch_is_cleared_by_exec():
    conn = connect(single_connection_client=True)
    a.set("w:once", "1")
    raw(conn, "WATCH", "w:once")
    b.set("w:once", "2")
    raw(conn, "MULTI")
    raw(conn, "SET", "w:once", "3")
    eq(raw(conn, "EXEC"), None, "EXEC after a conflict is a null reply")
    # The failed EXEC ends the watch: the next transaction is not affected by the old conflict.
    raw(conn, "MULTI")
    raw(conn, "SET", "w:once", "4")
    eq(raw(conn, "EXEC"), [b"OK"], "next EXEC")
    eq(a.get("w:once"), b"4", "value after the next EXEC")
    raises(redis.ResponseError, "WATCH inside MULTI", lambda: (raw(conn, "MULTI"), raw(conn, "WATCH", "x")),
           message_prefix="WATCH inside MULTI is not allowed")
    raw(conn, "DISCARD")
    conn.close()


def concurrent_increments_with_watch_are_not_lost():
    a.set("w:ctr", "0")
    done = 0
    retries = 0
    interfered = set()
    while done < 50:
        with a.pipeline(transaction=True) as pipe:
            try:
                pipe.watch("w:ctr")
                current = int(pipe.get("w:ctr"))
                if done % 5 == 0 and done not in interfered:
                    interfered.add(done)
                    b.incr("w:ctr")  # a competing increment forces one retry
                pipe.multi()
                pipe.set("w:ctr", str(current + 1))
                pipe.execute()
                done += 1
            except redis.WatchError:
                retries += 1
    eq(retries, 10, "retries caused by the 10 competing increments")
    eq(int(a.get("w:ctr")), 50 + retries, "no increment lost")


run(conflict_aborts_exec, conflict_on_a_watched_missing_key_that_is_created, conflict_by_deletion,
    no_conflict_commits, unwatch_forgets_the_conflict, watch_is_cleared_by_exec,
    concurrent_increments_with_watch_are_not_lost)
