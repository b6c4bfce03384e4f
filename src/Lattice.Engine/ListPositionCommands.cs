using Lattice.Resp;

namespace Lattice.Engine;

/// <summary>LPOS: the positions of the elements of a list equal to a value.</summary>
public static class ListPositionCommands
{
    public static void Register(CommandTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        ListCommands.Add(table, "lpos", -3, CommandFlags.ReadOnly, LPos, "Returns the index of matching elements in a list.");
    }

    private static void LPos(CommandContext context, CommandArgs args)
    {
        if (!ListPositionOptions.TryParse(context, args, out ListPositionOptions options) ||
            !CollectionCommands.TryRead(context, args[1], out ListValue? list))
        {
            return;
        }

        if (list is null)
        {
            if (options.HasCount)
            {
                context.Reply.ArrayHeader(0);
            }
            else
            {
                context.Reply.NullBulk();
            }

            return;
        }

        if (!options.HasCount)
        {
            int none = 0;
            int found = Walk(list, args[2], options, wanted: 1, ref none, reply: null);
            if (found < 0)
            {
                context.Reply.NullBulk();
            }
            else
            {
                context.Reply.Integer(found);
            }

            return;
        }

        // Two passes, so the array header can lead without collecting the positions.
        long wanted = options.Count == 0 ? long.MaxValue : options.Count;
        int matches = 0;
        Walk(list, args[2], options, wanted, ref matches, reply: null);
        context.Reply.ArrayHeader(matches);
        int written = 0;
        Walk(list, args[2], options, matches, ref written, context.Reply);
    }

    /// <summary>
    /// Walks from the head (positive rank) or the tail, skipping the first |rank| − 1 matches and comparing at
    /// most MAXLEN elements; reports up to <paramref name="wanted"/> matches. Returns the first one reported, or -1.
    /// </summary>
    private static int Walk(ListValue list, ReadOnlySpan<byte> element, ListPositionOptions options, long wanted, ref int matches, ReplyWriter? reply)
    {
        bool forward = options.Rank > 0;
        long skip = (forward ? options.Rank : -options.Rank) - 1;
        long limit = options.MaxLength == 0 ? list.Count : Math.Min(options.MaxLength, list.Count);
        int first = -1;
        for (int step = 0; step < limit && matches < wanted; step++)
        {
            int index = forward ? step : list.Count - 1 - step;
            if (!element.SequenceEqual(list[index]))
            {
                continue;
            }

            if (skip > 0)
            {
                skip--;
                continue;
            }

            matches++;
            first = first < 0 ? index : first;
            reply?.Integer(index);
        }

        return first;
    }
}
