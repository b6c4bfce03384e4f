using System.Buffers;
using Lattice.Common;
using Lattice.Engine;
using Lattice.Resp;
using Lattice.Storage;

namespace Lattice.Server;

/// <summary>
/// The node's data: the state machine, the write-ahead log, and the order between them. The node is a one-member
/// log group: every write is appended to the log at the next index and applied in index order under the engine
/// lock. Replies that depend on an entry (the write's own reply, and any read that saw it) are released to the
/// client only once the log is durable up to that entry, so no client ever observes state a crash could undo.
/// Callers hold the engine lock (<see cref="Enter"/>/<see cref="Exit"/>) around every call that reads or
/// changes data.
/// </summary>
public sealed partial class NodeStore : IDisposable, IKeyspace
{
    /// <summary>The log group of the single-node keyspace (Raft groups of a cluster use other ids).</summary>
    public const ulong GroupId = 1;

    /// <summary>A one-member group never changes leader, so every entry has term 1.</summary>
    private const long Term = 1;

    private readonly Lock _engineLock = new();
    private readonly ServerOptions _options;
    private readonly TimeProvider _time;
    private readonly Action<string> _log;
    private readonly WriteAheadLog _wal;
    private readonly KeyValueStateMachine _machine;
    private const int EntryBufferRetainedBytes = 16 * 1024 * 1024;
    private ArrayBufferWriter<byte> _entry = new(4096);

    // Replies of entries nobody waits for (replay, expiry deletes) are written here and dropped.
    private readonly ArrayBufferWriter<byte> _discardedReplies = new(4096);
    private readonly CommandContext _internalContext;

    // Guarded by the engine lock.
    private long _lastIndex;
    private long _lastEntryTimeMs;
    private int _disposed;

    private NodeStore(ServerOptions options, TimeProvider time, Action<string> log, WriteAheadLog wal, KeyValueStateMachine machine)
    {
        _options = options;
        _time = time;
        _log = log;
        _wal = wal;
        _machine = machine;
        _internalContext = new CommandContext(machine.Database, new ReplyWriter(_discardedReplies));
        _expiryRandom = new DeterministicRandom((ulong)time.GetUtcNow().ToUnixTimeMilliseconds());
        LastSaveUnixSeconds = time.GetUtcNow().ToUnixTimeSeconds();
    }

    public Database Database => _machine.Database;

    public CommandTable Commands => _machine.Commands;

    public ServerOptions Options => _options;

    /// <summary>Highest log index appended (and applied); written under the engine lock, readable anywhere.</summary>
    public long LastIndex => Volatile.Read(ref _lastIndex);

    /// <summary>Bytes in log segment files now.</summary>
    public long LogBytesOnDisk
    {
        get
        {
            long total = 0;
            foreach (RecoveredSegment segment in _wal.Segments())
            {
                total += segment.SizeBytes;
            }

            return total;
        }
    }

    /// <summary>Opens the data directory: newest snapshot, then log replay. Throws when data is damaged.</summary>
    public static NodeStore Open(ServerOptions options, TimeProvider time, Action<string> log)
    {
        WriteAheadLog wal = WriteAheadLog.Open(new WriteAheadLogOptions
        {
            Directory = options.DataDirectory,
            SegmentSizeBytes = options.SegmentBytes,
            MaxRecordBytes = options.LogRecordBytesMax,
            Log = log,
        });
        var machine = new KeyValueStateMachine();
        NodeStore? store = null;
        try
        {
            store = new NodeStore(options, time, log, wal, machine);
            store.Recover();
            store.StartFlusher();
            return store;
        }
        catch
        {
            if (store is not null)
            {
                store.Dispose();
            }
            else
            {
                machine.Dispose();
                wal.Dispose();
            }

            throw;
        }
    }

    public void Enter() => _engineLock.Enter();

    public void Exit() => _engineLock.Exit();

    /// <summary>Largest log entry payload; a bigger command or transaction is refused before it is logged.</summary>
    public int MaxEntryBytes => _wal.MaxPayloadBytes;

    /// <summary>
    /// Appends a client's write command to the log and applies it; its reply goes to the context. A command whose
    /// entry would exceed the log's record limit gets an error and is not logged (returns 0).
    /// </summary>
    public long ProposeCommand(CommandContext context, CommandArgs args)
    {
        AssertLocked();
        _entry.ResetWrittenCount();
        LogEntryCodec.WriteCommand(_entry, NextEntryTimeMs(), args);
        long index = 0;
        if (_entry.WrittenCount > MaxEntryBytes)
        {
            // Checked after encoding (rare) rather than measuring every request first (hot path).
            context.Reply.Error($"ERR command too large for the log (the limit is {MaxEntryBytes} bytes)");
        }
        else
        {
            index = Propose(context, _entry.WrittenSpan);
        }

        if (_entry.Capacity > EntryBufferRetainedBytes)
        {
            // One huge write should not pin its buffer for the life of the node.
            _entry = new ArrayBufferWriter<byte>(4096);
        }

        return index;
    }

    /// <summary>The time to stamp on the next entry: the clock, but never earlier than the previous entry's.</summary>
    public long NextEntryTimeMs()
    {
        AssertLocked();
        long now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        _lastEntryTimeMs = Math.Max(_lastEntryTimeMs, now);
        return _lastEntryTimeMs;
    }

    /// <summary>
    /// Appends an encoded entry at the next index and applies it; returns the index, or 0 when the log refused it
    /// cleanly (an error reply went to the context). A log that fails stops the node.
    /// </summary>
    public long Propose(CommandContext context, ReadOnlySpan<byte> payload)
    {
        AssertLocked();
        long index = _lastIndex + 1;
        try
        {
            _wal.Append(GroupId, index, Term, payload);
        }
        catch (InvalidOperationException e)
        {
            // Refused before anything was recorded (the unflushed batch is at its bound): nothing changed.
            context.Reply.Error("ERR " + e.Message);
            return 0;
        }
        catch (Exception e) when (e is IOException or ArgumentOutOfRangeException or ObjectDisposedException)
        {
            // The entry may be half-recorded; continuing would let memory and log disagree.
            Fatal("the write-ahead log refused an entry", e);
            throw;
        }

        Volatile.Write(ref _lastIndex, index);
        // Handlers are deterministic and validated before logging; one that throws is a bug, and the entry is
        // already in the log: stop before anything else depends on a half-applied state.
        try
        {
            _machine.Apply(context, index, payload);
        }
        catch (Exception e) when (e is not InvariantViolationException)
        {
            Fatal($"applying log entry {index} failed", e);
            throw;
        }

        Invariant.Check(_machine.AppliedIndex == index, "the state machine applied the entry just appended");
        NoteLogBytes(payload.Length);
        return index;
    }

    /// <summary>Runs a read-only command against the applied state at the reader's clock.</summary>
    public void ExecuteRead(CommandContext context, CommandSpec spec, CommandArgs args, ulong randomSeed)
    {
        AssertLocked();
        context.BeginRead(NowMs(), randomSeed);
        _machine.ExecuteRead(context, spec, args);
    }

    public long NowMs() => _time.GetUtcNow().ToUnixTimeMilliseconds();

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        StopBackgroundWork();
        _machine.Dispose();
        _wal.Dispose();
        _flushNeeded.Dispose();
        _flushGate.Dispose();
    }

    /// <summary>Writes and fsyncs everything appended, then closes the log (clean shutdown).</summary>
    public void Shutdown()
    {
        StopBackgroundWork();
        FlushGated(sync: true);

        _log("shutdown: log flushed and synced");
    }

    private void Recover()
    {
        var damaged = new List<string>();
        SnapshotInfo? snapshot = SnapshotFile.FindNewest(_wal.SnapshotDirectory, message =>
        {
            damaged.Add(message);
            _log(message);
        });
        if (damaged.Count > 0)
        {
            throw new StartupFailedException(
                $"refusing to start: {damaged[0]}. Nothing was changed; move the damaged file out of " +
                $"{_wal.SnapshotDirectory} to start from the previous snapshot and a longer log replay.");
        }

        long snapshotIndex = 0;
        if (snapshot is not null)
        {
            SnapshotFile.Read(snapshot, stream => snapshotIndex = SnapshotCodec.Read(stream, _machine.Database));
            if (snapshotIndex != snapshot.Index)
            {
                throw new StartupFailedException($"snapshot {snapshot.Path} holds index {snapshotIndex} but is named for {snapshot.Index}");
            }

            _machine.ResetAppliedIndex(snapshotIndex);
            _snapshotIndexes.Add(snapshotIndex);
            _log($"recovery: loaded snapshot {snapshot.Path} at index {snapshotIndex} ({_machine.Database.Count} keys)");
        }

        long replayed = _wal.Replay(GroupId, snapshotIndex, (index, term, payload) =>
        {
            if (index != _machine.AppliedIndex + 1)
            {
                throw new StartupFailedException(
                    $"the log continues at index {index} but the state ends at index {_machine.AppliedIndex} " +
                    $"(a snapshot covering the gap is missing from {_wal.SnapshotDirectory})");
            }

            LogEntryCodec.ReadKind(payload, out long timeMs);
            _lastEntryTimeMs = Math.Max(_lastEntryTimeMs, timeMs);
            _machine.Apply(_internalContext, index, payload);
            _discardedReplies.ResetWrittenCount();
        });
        if (_wal.AppendedIndex(GroupId) < snapshotIndex)
        {
            // The log lost its tail below the snapshot (records that never reached the disk): restart the group's
            // log at the snapshot so the next entry does not leave a gap.
            _wal.AppendSnapshotMarker(GroupId, snapshotIndex, Term);
            _wal.Flush(sync: true);
            _log($"recovery: the log ended before snapshot index {snapshotIndex}; continuing the log from the snapshot");
        }

        _lastIndex = Math.Max(snapshotIndex, _wal.AppendedIndex(GroupId));
        Invariant.Check(_machine.AppliedIndex == _lastIndex, "recovery applied every logged entry");
        Volatile.Write(ref _durableIndex, _lastIndex);
        _log($"recovery: replayed {replayed} log entries; {_machine.Database.Count} keys at index {_lastIndex}");
    }

    private void AssertLocked() => Invariant.Check(_engineLock.IsHeldByCurrentThread, "the engine lock is held");

    private void Fatal(string what, Exception error)
    {
        _log($"FATAL: {what}: {error}");
        Environment.FailFast($"lattice: {what}: {error.Message}", error);
    }
}
