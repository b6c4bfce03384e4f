using Lattice.Resp;

namespace Lattice.Engine;

/// <summary>ZADD's flags, parsed and checked for conflicts the way Redis 7 does.</summary>
internal readonly struct SortedSetAddOptions
{
    /// <summary>NX: only add new members.</summary>
    public bool OnlyNew { get; init; }

    /// <summary>XX: only update existing members.</summary>
    public bool OnlyExisting { get; init; }

    /// <summary>GT: only update when the new score is greater.</summary>
    public bool OnlyGreater { get; init; }

    /// <summary>LT: only update when the new score is less.</summary>
    public bool OnlyLess { get; init; }

    /// <summary>CH: count changed members, not just added ones.</summary>
    public bool CountChanged { get; init; }

    /// <summary>INCR: add the score to the current one and reply the result.</summary>
    public bool Increment { get; init; }

    /// <summary>Index of the first score argument.</summary>
    public int FirstPair { get; init; }

    /// <summary>Parses the flags after the key; on failure replies the error and returns false.</summary>
    public static bool TryParse(CommandContext context, CommandArgs args, out SortedSetAddOptions options)
    {
        bool nx = false, xx = false, gt = false, lt = false, ch = false, incr = false;
        int at = 2;
        for (; at < args.Count; at++)
        {
            if (args.Is(at, "NX"u8)) { nx = true; }
            else if (args.Is(at, "XX"u8)) { xx = true; }
            else if (args.Is(at, "GT"u8)) { gt = true; }
            else if (args.Is(at, "LT"u8)) { lt = true; }
            else if (args.Is(at, "CH"u8)) { ch = true; }
            else if (args.Is(at, "INCR"u8)) { incr = true; }
            else { break; }
        }

        options = new SortedSetAddOptions
        {
            OnlyNew = nx, OnlyExisting = xx, OnlyGreater = gt, OnlyLess = lt, CountChanged = ch, Increment = incr, FirstPair = at,
        };
        int elements = args.Count - at;
        if (elements == 0 || elements % 2 != 0)
        {
            context.Reply.Error(Errors.Syntax);
            return false;
        }

        if (nx && xx)
        {
            context.Reply.Error("ERR XX and NX options at the same time are not compatible"u8);
            return false;
        }

        if ((gt && nx) || (lt && nx) || (gt && lt))
        {
            context.Reply.Error("ERR GT, LT, and/or NX options at the same time are not compatible"u8);
            return false;
        }

        if (incr && elements > 2)
        {
            context.Reply.Error("ERR INCR option supports a single increment-element pair"u8);
            return false;
        }

        return true;
    }
}
