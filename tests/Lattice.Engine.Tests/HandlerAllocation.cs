using System.Buffers;
using System.Text;
using Lattice.Resp;

namespace Lattice.Engine.Tests;

/// <summary>Checks that a read command's handler allocates nothing once warmed up (its hot path writes stored arrays as they are).</summary>
internal static class HandlerAllocation
{
    public static void AssertNone(KeyValueStateMachine machine, long nowMs, byte[] request, string expectedReply)
    {
        var output = new ArrayBufferWriter<byte>(1024);
        var context = new CommandContext(machine.Database, new ReplyWriter(output));
        context.BeginRead(nowMs, 1);
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
            spec.Handler(context, args);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(expectedReply, Encoding.UTF8.GetString(output.WrittenSpan));
    }
}
