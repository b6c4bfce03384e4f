using System.Buffers.Binary;
using Lattice.Resp;

namespace Lattice.Engine;

/// <summary>
/// Checks, before an entry is logged, that <see cref="KeyValueStateMachine.Apply"/> can apply it: applying treats a
/// malformed entry as a broken invariant and stops the node, and a logged entry is applied on every replica and at
/// every restart. A node's own sessions only log what they parsed and checked; entries forwarded by another node
/// (another version, or a fault) are checked here first.
/// </summary>
public static class LoggedEntryCheck
{
    /// <summary>Null when <paramref name="payload"/> applies; otherwise what is wrong with it.</summary>
    public static string? Problem(CommandTable commands, ReadOnlySpan<byte> payload, ArgumentList scratch)
    {
        ArgumentNullException.ThrowIfNull(commands);
        ArgumentNullException.ThrowIfNull(scratch);
        if (payload.Length < LogEntryCodec.HeaderBytes)
        {
            return "shorter than an entry header";
        }

        switch ((EntryKind)payload[0])
        {
            case EntryKind.Noop:
                return payload.Length == LogEntryCodec.HeaderBytes ? null : "a no-op entry with a body";
            case EntryKind.Command:
                ReadOnlySpan<byte> request = payload[LogEntryCodec.HeaderBytes..];
                string? problem = CommandProblem(commands, request, scratch, inTransaction: false, out int consumed);
                return problem ?? (consumed == request.Length ? null : "bytes after the command");
            case EntryKind.Transaction:
                return TransactionProblem(commands, payload, scratch);
            default:
                return $"unknown entry kind {payload[0]}";
        }
    }

    private static string? TransactionProblem(CommandTable commands, ReadOnlySpan<byte> payload, ArgumentList scratch)
    {
        ReadOnlySpan<byte> rest = payload[LogEntryCodec.HeaderBytes..];
        if (!TryTakeCount(ref rest, out int watchCount))
        {
            return "a transaction without a watch count";
        }

        for (int i = 0; i < watchCount; i++)
        {
            if (!TryTakeCount(ref rest, out int keyBytes) || rest.Length < keyBytes + 8L)
            {
                return "a transaction's watched key runs past the entry";
            }

            rest = rest[(keyBytes + 8)..];
        }

        if (!TryTakeCount(ref rest, out int commandCount))
        {
            return "a transaction without a command count";
        }

        for (int i = 0; i < commandCount; i++)
        {
            string? problem = CommandProblem(commands, rest, scratch, inTransaction: true, out int consumed);
            if (problem is not null)
            {
                return $"transaction command {i + 1}: {problem}";
            }

            rest = rest[consumed..];
        }

        return rest.IsEmpty ? null : "bytes after the transaction's commands";
    }

    private static string? CommandProblem(CommandTable commands, ReadOnlySpan<byte> request, ArgumentList scratch, bool inTransaction, out int consumed)
    {
        ParseStatus status = RequestParser.ParseMultiBulk(request, KeyValueStateMachine.LoggedRequestLimits, scratch, out consumed, out _);
        if (status != ParseStatus.Complete || scratch.Count == 0)
        {
            return "not a complete request";
        }

        CommandArgs args = scratch.AsArgs(request);
        CommandSpec? spec = commands.Find(args[0]);
        if (spec is null || (!spec.IsWrite && !inTransaction))
        {
            return "not a write this node knows";
        }

        return spec.AcceptsArgumentCount(args.Count) ? null : $"wrong number of arguments for '{spec.Name}'";
    }

    private static bool TryTakeCount(ref ReadOnlySpan<byte> rest, out int count)
    {
        count = 0;
        if (rest.Length < 4)
        {
            return false;
        }

        count = BinaryPrimitives.ReadInt32LittleEndian(rest);
        rest = rest[4..];
        return count >= 0;
    }
}
