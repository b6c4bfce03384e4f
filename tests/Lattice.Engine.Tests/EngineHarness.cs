using System.Buffers;
using System.Text;
using Lattice.Engine;
using Lattice.Resp;

namespace Lattice.Engine.Tests;

/// <summary>
/// Drives the state machine the way the node does: writes become log entries applied in index order with
/// the harness's clock; reads run against the applied state. Replies come back as RESP text.
/// </summary>
internal sealed class EngineHarness : IDisposable
{
    private readonly ArrayBufferWriter<byte> _reply = new();
    private readonly ArrayBufferWriter<byte> _entry = new();
    private readonly ArgumentList _args = new();
    private readonly ReplyWriter _writer;
    private readonly CommandContext _context;
    private ulong _readSeed = 1;

    public EngineHarness(int protocol = 2)
    {
        Machine = new KeyValueStateMachine();
        _writer = new ReplyWriter(_reply, protocol);
        _context = new CommandContext(Machine.Database, _writer);
    }

    public KeyValueStateMachine Machine { get; }

    /// <summary>The harness clock (Unix ms); advance it to test TTLs.</summary>
    public long NowMs { get; set; } = 1_700_000_000_000;

    public int Protocol
    {
        get => _writer.Protocol;
        set => _writer.Protocol = value;
    }

    /// <summary>Every log entry applied so far, to replay into a fresh machine.</summary>
    public List<byte[]> Log { get; } = [];

    public string Run(params string[] args) => Run(args.Select(a => Encoding.UTF8.GetBytes(a)).ToArray());

    public string Run(params byte[][] args)
    {
        _reply.Clear();
        byte[] request = EncodeRequest(args);
        RequestParser.ParseMultiBulk(request, RespLimits.Default, _args, out _, out _);
        CommandArgs parsed = _args.AsArgs(request);
        CommandSpec? spec = Machine.Commands.Find(parsed[0]);
        if (spec is null || (spec.Flags & CommandFlags.Internal) != 0)
        {
            return $"-ERR unknown command '{Encoding.UTF8.GetString(args[0])}'\r\n";
        }

        if (!spec.AcceptsArgumentCount(parsed.Count))
        {
            return "-" + Errors.WrongArity(spec.Name) + "\r\n";
        }

        if (spec.IsWrite)
        {
            _entry.Clear();
            LogEntryCodec.WriteCommand(_entry, NowMs, parsed);
            byte[] payload = _entry.WrittenSpan.ToArray();
            Log.Add(payload);
            Machine.Apply(_context, Machine.AppliedIndex + 1, payload);
        }
        else
        {
            _context.BeginRead(NowMs, _readSeed++);
            Machine.ExecuteRead(_context, spec, parsed);
        }

        return Encoding.UTF8.GetString(_reply.WrittenSpan);
    }

    /// <summary>Applies every logged entry to a new machine (the replay a restart does).</summary>
    public KeyValueStateMachine Replay()
    {
        var machine = new KeyValueStateMachine(hashSeed: 99);
        var sink = new ReplyWriter(new ArrayBufferWriter<byte>());
        var context = new CommandContext(machine.Database, sink);
        for (int i = 0; i < Log.Count; i++)
        {
            machine.Apply(context, i + 1, Log[i]);
        }

        return machine;
    }

    /// <summary>
    /// Writes <paramref name="snapshot"/> (taken from this machine) at the applied index, ends it, and reads it
    /// into a fresh database.
    /// </summary>
    public Database EndSnapshotAndRestore(DatabaseSnapshot snapshot)
    {
        var copy = new MemoryStream();
        SnapshotCodec.Write(copy, snapshot, Machine.AppliedIndex);
        Machine.Database.EndSnapshot();
        copy.Position = 0;
        var restored = new Database();
        SnapshotCodec.Read(copy, restored);
        return restored;
    }

    public void Dispose()
    {
        _args.Dispose();
        Machine.Dispose();
    }

    private static byte[] EncodeRequest(byte[][] args)
    {
        var output = new ArrayBufferWriter<byte>();
        output.Write(Encoding.ASCII.GetBytes($"*{args.Length}\r\n"));
        foreach (byte[] arg in args)
        {
            output.Write(Encoding.ASCII.GetBytes($"${arg.Length}\r\n"));
            output.Write(arg);
            output.Write("\r\n"u8);
        }

        return output.WrittenSpan.ToArray();
    }
}
