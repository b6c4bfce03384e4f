using System.Buffers;
using Lattice.Engine;
using Lattice.Resp;

namespace Lattice.Server;

/// <summary>
/// MULTI/EXEC/DISCARD/WATCH/UNWATCH. Queued commands and the watched keys' versions become one Transaction log
/// entry; the state machine checks the versions when it applies the entry, so the decision is made at the
/// entry's place in the log (the same on every replica and on replay).
/// </summary>
internal sealed partial class ClientSession
{
    private readonly List<(byte[] Key, long Version)> _watches = [];
    private ArrayBufferWriter<byte>? _queued;
    private ArrayBufferWriter<byte>? _transactionEntry;
    private int _queuedCount;
    private bool _transactionDirty;

    public bool InTransaction { get; private set; }

    public int QueuedCount => InTransaction ? _queuedCount : -1;

    public int WatchedKeys => _watches.Count;

    public void Multi()
    {
        if (InTransaction)
        {
            _reply.Error("ERR MULTI calls can not be nested");
            return;
        }

        InTransaction = true;
        _queuedCount = 0;
        _transactionDirty = false;
        _queued ??= new ArrayBufferWriter<byte>(1024);
        _queued.ResetWrittenCount();
        _reply.Ok();
    }

    public void Discard()
    {
        if (!InTransaction)
        {
            _reply.Error("ERR DISCARD without MULTI");
            return;
        }

        EndTransaction();
        _reply.Ok();
    }

    public void Watch(CommandArgs args)
    {
        if (InTransaction)
        {
            _reply.Error("ERR WATCH inside MULTI is not allowed");
            return;
        }

        EnsureEngine();
        long now = _keyspace.NowMs();
        for (int i = 1; i < args.Count; i++)
        {
            // On a replica the version may be stale; then EXEC aborts at apply time (never commits wrongly).
            _watches.Add((args[i].ToArray(), _keyspace.Database.GetVersion(args[i], now)));
        }

        _reply.Ok();
    }

    public void Unwatch()
    {
        _watches.Clear();
        _reply.Ok();
    }

    public void Exec()
    {
        if (!InTransaction)
        {
            _reply.Error("ERR EXEC without MULTI");
            return;
        }

        if (_transactionDirty)
        {
            EndTransaction();
            _reply.Error("EXECABORT Transaction discarded because of previous errors.");
            return;
        }

        _transactionEntry ??= new ArrayBufferWriter<byte>(1024);
        _transactionEntry.ResetWrittenCount();
        EnsureEngine();
        LogEntryCodec.WriteHeader(_transactionEntry, EntryKind.Transaction, _keyspace.NextEntryTimeMs());
        LogEntryCodec.WriteInt32(_transactionEntry, _watches.Count);
        foreach ((byte[] key, long version) in _watches)
        {
            LogEntryCodec.WriteWatch(_transactionEntry, key, version);
        }

        LogEntryCodec.WriteInt32(_transactionEntry, _queuedCount);
        _transactionEntry.Write(_queued!.WrittenSpan);
        if (_transactionEntry.WrittenCount > MaxEntryBytes)
        {
            _reply.Error($"ERR transaction too large for the log (the limit is {MaxEntryBytes} bytes)");
            EndTransaction();
            return;
        }

        QueueClusterEntry(_transactionEntry.WrittenSpan);

        EndTransaction();
    }

    /// <summary>RESET and disconnect: leave any transaction and forget watched keys.</summary>
    public void EndTransaction()
    {
        InTransaction = false;
        _queuedCount = 0;
        _transactionDirty = false;
        _queued?.ResetWrittenCount();
        _watches.Clear();
        if (_queued is { Capacity: > QueryBufferRetainedBytes })
        {
            _queued = null;
        }

        if (_transactionEntry is { Capacity: > QueryBufferRetainedBytes })
        {
            _transactionEntry = null;
        }
    }

    private static bool IsTransactionControl(CommandSpec? serverSpec) =>
        serverSpec is not null && (serverSpec.Flags & CommandFlags.NoMulti) != 0;

    private void Queue(CommandSpec? spec, CommandSpec? serverSpec, CommandArgs args)
    {
        if (spec is null && serverSpec is null)
        {
            _transactionDirty = true;
            _reply.Error(UnknownCommand(args));
            return;
        }

        if (spec is null)
        {
            // PING, ECHO, SELECT and TIME have a form the transaction's entry can carry; the other connection and
            // server commands act on the session or the node, not on data, and cannot be logged.
            spec = _keyspace.Commands.Find(args[0]);
            if (spec is null || (spec.Flags & CommandFlags.TransactionOnly) == 0)
            {
                _transactionDirty = true;
                _reply.Error("ERR Command not allowed inside a transaction");
                return;
            }
        }

        if (!spec.AcceptsArgumentCount(args.Count))
        {
            _transactionDirty = true;
            _reply.Error(Errors.WrongArity(spec.Name));
            return;
        }

        long queueMax = Math.Min(_server.Options.Limits.MaxQueryBufferBytes, MaxEntryBytes);
        if (_queued!.WrittenCount + RequestEncoder.MeasureBytes(args) > queueMax)
        {
            _transactionDirty = true;
            _reply.Error("ERR transaction too large (client-query-buffer-limit)");
            return;
        }

        RequestEncoder.Write(_queued, args);
        _queuedCount++;
        _reply.Queued();
    }

    private void DisposeTransaction()
    {
        _queued = null;
        _transactionEntry = null;
        _watches.Clear();
    }
}
