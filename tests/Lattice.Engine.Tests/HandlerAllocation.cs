using System.Buffers;
using System.Text;
using Lattice.Resp;

namespace Lattice.Engine.Tests;

/// <summary>
/// Checks that a command's handler allocates nothing once warmed up: a read writes stored arrays out as they are,
/// and a write that replaces a value with one of the same length overwrites it in place.
/// </summary>
internal static class HandlerAllocation
{
    public static void AssertNone(KeyValueStateMachine machine, long nowMs, byte[] request, string expectedReply, bool asWrite = false)
    {
        var output = new ArrayBufferWriter<byte>(1024);
        var context = new CommandContext(machine.Database, new ReplyWriter(output));
        long index = machine.AppliedIndex;
        Begin(context, nowMs, asWrite, ref index);
        using var list = new ArgumentList();
        RequestParser.ParseMultiBulk(request, RespLimits.Default, list, out _, out _);
        CommandArgs args = list.AsArgs(request);
        CommandSpec spec = machine.Commands.Find(args[0])!;
        spec.Handler(context, args);
        output.Clear();

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            output.ResetWrittenCount();
            Begin(context, nowMs, asWrite, ref index);
            spec.Handler(context, args);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(expectedReply, Encoding.UTF8.GetString(output.WrittenSpan));
    }

    private static void Begin(CommandContext context, long nowMs, bool asWrite, ref long index)
    {
        if (asWrite)
        {
            context.BeginWrite(++index, nowMs);
        }
        else
        {
            context.BeginRead(nowMs, 1);
        }
    }
}
