using Lattice.Common;
using Lattice.Resp;

namespace Lattice.Engine;

/// <summary>
/// The deterministic state machine: applies log entries in index order and runs reads against the applied
/// state. No I/O, no clock, no threads: the same entries give the same state on every replica and replay.
/// The owner serialises all calls.
/// </summary>
public sealed class KeyValueStateMachine : IDisposable
{
    /// <summary>
    /// Limits for parsing logged requests: the widest the protocol allows, since the node admitted them under its
    /// own (configurable) limits and applying must never refuse what was logged.
    /// </summary>
    internal static readonly RespLimits LoggedRequestLimits = new()
    {
        MaxBulkBytes = int.MaxValue - 64,
        MaxMultiBulkLength = int.MaxValue,
        MaxInlineBytes = int.MaxValue,
        MaxQueryBufferBytes = long.MaxValue,
    };

    private readonly ArgumentList _entryArgs = new();

    public KeyValueStateMachine(ulong hashSeed = 0)
    {
        Database = new Database(hashSeed);
        Commands = new CommandTable();
        KeyCommands.Register(Commands);
        StringCommands.Register(Commands);
        HashCommands.Register(Commands);
        ListCommands.Register(Commands);
        SetCommands.Register(Commands);
        SortedSetCommands.Register(Commands);
        ExpiryCommands.Register(Commands);
        TransactionConnectionCommands.Register(Commands);
    }

    public Database Database { get; }

    public CommandTable Commands { get; }

    /// <summary>The index of the last entry applied.</summary>
    public long AppliedIndex { get; private set; }

    /// <summary>Write commands applied (for INFO stats).</summary>
    public long CommandsApplied { get; private set; }

    /// <summary>Runs a read-only command at the context's time.</summary>
    public void ExecuteRead(CommandContext context, CommandSpec spec, CommandArgs args)
    {
        Invariant.Check(!spec.IsWrite, "reads do not change state");
        spec.Handler(context, args);
    }

    /// <summary>Applies entry <paramref name="index"/>; its reply (if anyone waits for it) goes to the context's writer.</summary>
    public void Apply(CommandContext context, long index, ReadOnlySpan<byte> payload)
    {
        Invariant.Check(index == AppliedIndex + 1, "entries apply in order without gaps");
        EntryKind kind = LogEntryCodec.ReadKind(payload, out long timeMs);
        context.BeginWrite(index, timeMs);
        switch (kind)
        {
            case EntryKind.Command:
                int consumed = ApplyCommand(context, payload[LogEntryCodec.HeaderBytes..], inTransaction: false);
                Invariant.Check(consumed == payload.Length - LogEntryCodec.HeaderBytes, "a command entry holds exactly one request");
                break;
            case EntryKind.Transaction:
                ApplyTransaction(context, payload);
                break;
            default:
                break;
        }

        AppliedIndex = index;
    }

    /// <summary>Sets the applied index after restoring a snapshot taken at <paramref name="index"/>.</summary>
    public void ResetAppliedIndex(long index)
    {
        Invariant.Check(index >= 0, "indexes are non-negative");
        AppliedIndex = index;
    }

    public void Dispose() => _entryArgs.Dispose();

    /// <summary>
    /// Adds the keys and hash fields a logged command entry will touch to <paramref name="batch"/> (as many as fit),
    /// for <see cref="Database.Prefetch"/>; other entries add nothing. Reads the entry only.
    /// </summary>
    public void CollectKeys(ReadOnlySpan<byte> payload, KeyPrefetchBatch batch)
    {
        if (payload.Length > LogEntryCodec.HeaderBytes && (EntryKind)payload[0] == EntryKind.Command)
        {
            int at = LogEntryCodec.HeaderBytes;
            KeyPrefetch.Collect(Database, Commands, payload, ref at, readsOnly: false, batch);
        }
    }

    /// <summary>Runs one logged command. Reads appear only inside transactions, where they run at the entry's place in the log.</summary>
    private int ApplyCommand(CommandContext context, ReadOnlySpan<byte> request, bool inTransaction)
    {
        ParseStatus status = RequestParser.ParseMultiBulk(request, LoggedRequestLimits, _entryArgs, out int consumed, out _);
        Invariant.Check(status == ParseStatus.Complete && _entryArgs.Count > 0, "logged requests are well formed");
        CommandArgs args = _entryArgs.AsArgs(request);
        CommandSpec? spec = Commands.Find(args[0]);
        Invariant.Check(spec is not null && (spec.IsWrite || inTransaction), "logged commands are known writes, or reads in a transaction");
        Invariant.Check(spec.AcceptsArgumentCount(args.Count), "logged commands have a valid arity");
        spec.Handler(context, args);
        if (spec.IsWrite)
        {
            StampKeys(context, spec, args);
            CommandsApplied++;
        }

        return consumed;
    }

    private void ApplyTransaction(CommandContext context, ReadOnlySpan<byte> payload)
    {
        int at = LogEntryCodec.HeaderBytes;
        int watchCount = LogEntryCodec.ReadInt32(payload, ref at);
        Invariant.Check(watchCount >= 0, "watch count is non-negative");
        bool aborted = false;
        for (int i = 0; i < watchCount; i++)
        {
            int keyBytes = LogEntryCodec.ReadInt32(payload, ref at);
            ReadOnlySpan<byte> key = payload.Slice(at, keyBytes);
            at += keyBytes;
            long version = LogEntryCodec.ReadInt64(payload, ref at);
            aborted |= Database.GetVersion(key, context.TimeMs) != version;
        }

        int commandCount = LogEntryCodec.ReadInt32(payload, ref at);
        Invariant.Check(commandCount >= 0, "command count is non-negative");
        if (aborted)
        {
            context.Reply.NullArray();
            return;
        }

        context.Reply.ArrayHeader(commandCount);
        for (int i = 0; i < commandCount; i++)
        {
            at += ApplyCommand(context, payload[at..], inTransaction: true);
        }

        Invariant.Check(at == payload.Length, "transaction entry fully consumed");
    }

    /// <summary>Gives every key the command names the entry's index as its version (WATCH compares it).</summary>
    private void StampKeys(CommandContext context, CommandSpec spec, CommandArgs args)
    {
        if (spec.FirstKey <= 0)
        {
            return;
        }

        int last = spec.LastKeyPosition(args.Count);
        for (int i = spec.FirstKey; i <= last; i += spec.KeyStep)
        {
            Database.SetVersion(args[i], context.Index);
        }
    }
}
