"""Pipelines without transactions, MULTI/EXEC through transactional pipelines, DISCARD and EXECABORT."""
from lattice_check import connect, eq, check, raises, raw, run
import redis

r = connect()


def pipeline_of_a_thousand():
    r.flushdb()
    pipe = r.pipeline(transaction=False)
    for i in range(500):
        pipe.set(f"p:{i}", f"v{i}")
        pipe.incr("p:counter")
    replies = pipe.execute()
    eq(len(replies), 1000, "replies to 1000 pipelined commands")
    for i in range(500):
        eq(replies[2 * i], True, f"SET reply {2 * i}")
        eq(replies[2 * i + 1], i + 1, f"INCR reply {2 * i + 1}")
    pipe = r.pipeline(transaction=False)
    for i in range(1000):
        pipe.get(f"p:{i % 500}")
    values = pipe.execute()
    eq(values, [f"v{i % 500}".encode() for i in range(1000)], "1000 pipelined GETs in order")


def pipeline_keeps_going_after_an_error():
    r.set("p:text", "abc")
    pipe = r.pipeline(transaction=False)
    pipe.set("p:x", "1").incr("p:text").get("p:x")
    replies = pipe.execute(raise_on_error=False)
    eq(replies[0], True, "SET before the error")
    check(isinstance(replies[1], redis.ResponseError), f"INCR on text is an error: {replies[1]!r}")
    eq(replies[2], b"1", "GET after the error")


def multi_exec():
    r.delete("t:a", "t:n")
    pipe = r.pipeline(transaction=True)
    pipe.set("t:a", "1").incr("t:n").incr("t:n").get("t:a").lpush("t:l", "x")
    eq(pipe.execute(), [True, 1, 2, b"1", 1], "EXEC replies")
    eq(r.get("t:n"), b"2", "state after EXEC")


def runtime_error_inside_exec_does_not_abort_the_rest():
    r.set("t:text", "abc")
    pipe = r.pipeline(transaction=True)
    pipe.set("t:b", "2").incr("t:text").set("t:c", "3")
    replies = pipe.execute(raise_on_error=False)
    eq(replies[0], True, "SET before the failing command")
    check(isinstance(replies[1], redis.ResponseError), f"INCR on text inside EXEC: {replies[1]!r}")
    eq(replies[2], True, "SET after the failing command")
    eq(r.mget("t:b", "t:c"), [b"2", b"3"], "the other commands ran")


def discard():
    conn = connect(single_connection_client=True)
    conn.delete("d:k")
    eq(raw(conn, "MULTI"), b"OK", "MULTI")
    eq(raw(conn, "SET", "d:k", "v"), b"QUEUED", "queued SET")
    eq(raw(conn, "INCR", "d:n"), b"QUEUED", "queued INCR")
    eq(raw(conn, "DISCARD"), b"OK", "DISCARD")
    eq(conn.get("d:k"), None, "nothing applied after DISCARD")
    eq(conn.get("d:n"), None, "nothing applied after DISCARD (counter)")
    raises(redis.ResponseError, "DISCARD without MULTI", conn.execute_command, "DISCARD",
           message_prefix="DISCARD without MULTI")
    raises(redis.ResponseError, "EXEC without MULTI", conn.execute_command, "EXEC", message_prefix="EXEC without MULTI")
    eq(raw(conn, "MULTI"), b"OK", "MULTI again")
    raises(redis.ResponseError, "nested MULTI", conn.execute_command, "MULTI", message_prefix="MULTI calls can not be nested")
    eq(raw(conn, "DISCARD"), b"OK", "DISCARD after nested MULTI")
    conn.close()


def execabort_after_a_queued_syntax_error():
    conn = connect(single_connection_client=True)
    conn.delete("a:k", "a:k2")
    eq(raw(conn, "MULTI"), b"OK", "MULTI")
    eq(raw(conn, "SET", "a:k", "v"), b"QUEUED", "queued SET")
    raises(redis.ResponseError, "queuing SET with too few arguments", conn.execute_command, "SET", "a:k2",
           message_prefix="wrong number of arguments")
    raises(redis.ResponseError, "queuing an unknown command", conn.execute_command, "NOSUCHCMD",
           message_prefix="unknown command")
    raises(redis.exceptions.ExecAbortError, "EXEC after queuing errors", conn.execute_command, "EXEC",
           message_prefix="Transaction discarded because of previous errors")
    eq(conn.get("a:k"), None, "nothing applied after EXECABORT")
    eq(conn.ping(), True, "connection usable after EXECABORT")
    conn.close()
    # The same through a transactional pipeline: redis-py raises the queued error and nothing is applied.
    pipe = r.pipeline(transaction=True)
    pipe.set("a:k", "v").execute_command("SET", "a:k2")
    raises(redis.ResponseError, "pipeline with a queued syntax error", pipe.execute)
    eq(r.exists("a:k", "a:k2"), 0, "nothing applied from the aborted pipeline")


def connection_commands_in_a_transactional_pipeline():
    # redis-py's default pipeline is a MULTI/EXEC: a PING or ECHO in it must be queued and answered in order.
    pipe = r.pipeline()
    pipe.set("c:k", "v").ping().echo("e").get("c:k")
    eq(pipe.execute(), [True, True, b"e", b"v"], "SET, PING, ECHO and GET answered in order")


run(pipeline_of_a_thousand, pipeline_keeps_going_after_an_error, multi_exec,
    runtime_error_inside_exec_does_not_abort_the_rest, discard, execabort_after_a_queued_syntax_error,
    connection_commands_in_a_transactional_pipeline)
