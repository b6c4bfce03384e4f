using Lattice.Resp;

namespace Lattice.Engine;

/// <summary>LMOVE and RPOPLPUSH: pop from one list and push onto another (or the same one, rotating it).</summary>
public static class ListMoveCommands
{
    public static void Register(CommandTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        const CommandFlags moves = CommandFlags.Write | CommandFlags.DenyOom;
        ListCommands.Add(table, "lmove", 5, moves, LMove, "Pops an element from a list, pushes it to another list and returns it.",
            "source:key destination:key wherefrom=<LEFT | RIGHT> whereto=<LEFT | RIGHT>", lastKey: 2);
        ListCommands.Add(table, "rpoplpush", 3, moves, RPopLPush, "Pops the last element of a list and pushes it to the head of another (deprecated: use LMOVE).",
            "source:key destination:key", lastKey: 2);
    }

    private static void LMove(CommandContext context, CommandArgs args)
    {
        if (!TryParseEnd(args, 3, out bool fromFront) || !TryParseEnd(args, 4, out bool toFront))
        {
            context.Reply.Error(Errors.Syntax);
            return;
        }

        Move(context, args[1], args[2], fromFront, toFront);
    }

    private static void RPopLPush(CommandContext context, CommandArgs args) => Move(context, args[1], args[2], fromFront: false, toFront: true);

    private static bool TryParseEnd(CommandArgs args, int at, out bool front)
    {
        front = args.Is(at, "LEFT"u8);
        return front || args.Is(at, "RIGHT"u8);
    }

    private static void Move(CommandContext context, ReadOnlySpan<byte> sourceKey, ReadOnlySpan<byte> destinationKey, bool fromFront, bool toFront)
    {
        if (!CollectionCommands.TryReadForWrite(context, sourceKey, out ListValue? source))
        {
            return;
        }

        if (source is null)
        {
            context.Reply.NullBulk();
            return;
        }

        // The destination's type is checked before anything changes; for the same key it is the source itself.
        if (!CollectionCommands.TryReadForWrite(context, destinationKey, out ListValue? destination))
        {
            return;
        }

        // Only another list can be full: moving within one list keeps its length.
        if (destination is not null && destination != source && !destination.HasRoomFor(1))
        {
            context.Reply.Error(Errors.ListFull);
            return;
        }

        // A copy: the source may be the destination, whose push can move the popped element's bytes.
        byte[] element = source.End(fromFront).ToArray();
        source.RemoveEnd(fromFront);

        if (destination is null)
        {
            destination = new ListValue();
            context.Database.Set(destinationKey, destination);
        }

        destination.Push(element, toFront);
        CollectionCommands.DeleteIfEmpty(context, sourceKey, source);
        context.Reply.Bulk(element);
    }
}
