using Lattice.Resp;

namespace Lattice.Engine;

/// <summary>LPOS: the positions of the elements of a list equal to a value.</summary>
public static class ListPositionCommands
{
    public static void Register(CommandTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        ListCommands.Add(table, "lpos", -3, CommandFlags.ReadOnly, LPos, "Returns the index of matching elements in a list.",
            "key element [RANK rank:integer] [COUNT num-matches:integer] [MAXLEN len:integer]");
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
            int found = Walk(list, args[2], options, wanted: 1, reply: null, out _);
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
        Walk(list, args[2], options, wanted, reply: null, out int matches);
        context.Reply.ArrayHeader(matches);
        Walk(list, args[2], options, matches, context.Reply, out _);
    }

    /// <summary>
    /// Walks from the head (positive rank) or the tail, skipping the first |rank| − 1 matches and comparing at
    /// most MAXLEN elements; reports up to <paramref name="wanted"/> matches. Returns the first one reported, or -1.
    /// </summary>
    private static int Walk(ListValue list, ReadOnlySpan<byte> element, ListPositionOptions options, long wanted, ReplyWriter? reply, out int matches)
    {
        bool forward = options.Rank > 0;
        var walker = new PositionWalker(element, skip: (forward ? options.Rank : -options.Rank) - 1, wanted, reply);
        int limit = (int)(options.MaxLength == 0 ? list.Count : Math.Min(options.MaxLength, list.Count));
        if (wanted > 0)
        {
            list.Visit(forward ? 0 : list.Count - 1, limit, forward, ref walker);
        }

        matches = walker.Matches;
        return walker.First;
    }

    private ref struct PositionWalker(ReadOnlySpan<byte> element, long skip, long wanted, ReplyWriter? reply) : IListVisitor
    {
        private readonly ReadOnlySpan<byte> _element = element;
        private long _skip = skip;

        public int Matches { get; private set; }

        public int First { get; private set; } = -1;

        public bool Visit(int index, ReadOnlySpan<byte> element)
        {
            if (!element.SequenceEqual(_element))
            {
                return true;
            }

            if (_skip > 0)
            {
                _skip--;
                return true;
            }

            Matches++;
            First = First < 0 ? index : First;
            reply?.Integer(index);
            return Matches < wanted;
        }
    }
}
