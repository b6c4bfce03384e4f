using System.Buffers;
using System.Text;
using Lattice.Common;
using Lattice.Resp;

namespace Lattice.Engine.Tests;

/// <summary>
/// The check a leader runs on forwarded entries before logging them: what it accepts applies, and what it refuses
/// would have stopped every replica when applied (the state machine treats it as a broken invariant).
/// </summary>
public sealed class LoggedEntryCheckTests
{
    private static byte[] Command(string resp) => Entry(EntryKind.Command, Encoding.UTF8.GetBytes(resp));

    private static byte[] Entry(EntryKind kind, ReadOnlySpan<byte> body)
    {
        var output = new ArrayBufferWriter<byte>();
        LogEntryCodec.WriteHeader(output, kind, 1_700_000_000_000);
        output.Write(body);
        return output.WrittenSpan.ToArray();
    }

    private static byte[] Transaction(int watches, params string[] commands)
    {
        var output = new ArrayBufferWriter<byte>();
        LogEntryCodec.WriteHeader(output, EntryKind.Transaction, 1_700_000_000_000);
        LogEntryCodec.WriteInt32(output, watches);
        for (int i = 0; i < watches; i++)
        {
            LogEntryCodec.WriteWatch(output, Encoding.UTF8.GetBytes($"w{i}"), 0);
        }

        LogEntryCodec.WriteInt32(output, commands.Length);
        foreach (string command in commands)
        {
            output.Write(Encoding.UTF8.GetBytes(command));
        }

        return output.WrittenSpan.ToArray();
    }

    private static string? Problem(byte[] payload)
    {
        using var machine = new KeyValueStateMachine();
        using var scratch = new ArgumentList();
        return LoggedEntryCheck.Problem(machine.Commands, payload, scratch);
    }

    /// <summary>Applies <paramref name="payload"/> to a fresh machine; false when applying broke an invariant.</summary>
    private static bool Applies(byte[] payload)
    {
        using var machine = new KeyValueStateMachine();
        var context = new CommandContext(machine.Database, new ReplyWriter(new ArrayBufferWriter<byte>()));
        try
        {
            machine.Apply(context, 1, payload);
            return true;
        }
        catch (InvariantViolationException)
        {
            return false;
        }
    }

    public static TheoryData<string, byte[]> Applicable => new()
    {
        { "SET", Command("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n") },
        { "lower-case INCR", Command("*2\r\n$4\r\nincr\r\n$1\r\nn\r\n") },
        { "a no-op", Entry(EntryKind.Noop, []) },
        { "a transaction with a read and a watch", Transaction(1, "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n", "*2\r\n$3\r\nGET\r\n$1\r\nk\r\n") },
        { "an empty transaction", Transaction(0) },
    };

    public static TheoryData<string, byte[]> Inapplicable => new()
    {
        { "an unknown command", Command("*2\r\n$7\r\nFUTURES\r\n$1\r\nk\r\n") },
        { "a read outside a transaction", Command("*2\r\n$3\r\nGET\r\n$1\r\nk\r\n") },
        { "a wrong argument count", Command("*2\r\n$3\r\nSET\r\n$1\r\nk\r\n") },
        { "a cut-off request", Command("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\nv") },
        { "bytes after the request", Command("*2\r\n$4\r\nINCR\r\n$1\r\nn\r\n+x\r\n") },
        { "not RESP", Command("SET k v\r\n") },
        { "an empty request", Command("*0\r\n") },
        { "an unknown kind", Entry((EntryKind)9, []) },
        { "a header only", Entry(EntryKind.Command, [])[..5] },
        { "a transaction with an unknown command", Transaction(0, "*1\r\n$5\r\nNOWAY\r\n") },
        { "a transaction one command short", Transaction(0, "*2\r\n$4\r\nINCR\r\n$1\r\nn\r\n")[..^3] },
        { "a transaction with a negative count", Entry(EntryKind.Transaction, [0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF]) },
        { "a transaction whose watched key runs past the end", Entry(EntryKind.Transaction, [1, 0, 0, 0, 100, 0, 0, 0, (byte)'k']) },
    };

    [Theory]
    [MemberData(nameof(Applicable))]
    public void An_entry_the_check_accepts_applies(string name, byte[] payload)
    {
        Assert.True(Problem(payload) is null, $"{name}: {Problem(payload)}");
        Assert.True(Applies(payload), $"{name} passed the check but did not apply");
    }

    [Theory]
    [MemberData(nameof(Inapplicable))]
    public void An_entry_the_check_refuses_would_have_stopped_the_replica(string name, byte[] payload)
    {
        Assert.True(Problem(payload) is not null, $"{name} passed the check");
        bool applied;
        try
        {
            applied = Applies(payload);
        }
        catch (Exception e) when (e is ArgumentOutOfRangeException or IndexOutOfRangeException)
        {
            applied = false;
        }

        Assert.False(applied, $"{name} was refused but applies");
    }
}
