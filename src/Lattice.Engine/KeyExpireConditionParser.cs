using Lattice.Resp;

namespace Lattice.Engine;

/// <summary>Parses and judges the EXPIRE family's NX/XX/GT/LT options with Redis 7's rules and error texts.</summary>
public static class KeyExpireConditionParser
{
    private static ReadOnlySpan<byte> NxIncompatible => "ERR NX and XX, GT or LT options at the same time are not compatible"u8;

    private static ReadOnlySpan<byte> GtLtIncompatible => "ERR GT and LT options at the same time are not compatible"u8;

    private static ReadOnlySpan<byte> UnsupportedOption => "ERR Unsupported option "u8;

    /// <summary>Reads the options from <paramref name="first"/> on; on failure writes the error reply and returns false.</summary>
    public static bool TryParse(CommandContext context, CommandArgs args, int first, out KeyExpireCondition condition)
    {
        condition = KeyExpireCondition.None;
        for (int i = first; i < args.Count; i++)
        {
            if (args.Is(i, "NX"u8))
            {
                condition |= KeyExpireCondition.Nx;
            }
            else if (args.Is(i, "XX"u8))
            {
                condition |= KeyExpireCondition.Xx;
            }
            else if (args.Is(i, "GT"u8))
            {
                condition |= KeyExpireCondition.Gt;
            }
            else if (args.Is(i, "LT"u8))
            {
                condition |= KeyExpireCondition.Lt;
            }
            else
            {
                ReplyUnsupported(context, args[i]);
                return false;
            }
        }

        if ((condition & KeyExpireCondition.Nx) != 0 && condition != KeyExpireCondition.Nx)
        {
            context.Reply.Error(NxIncompatible);
            return false;
        }

        if ((condition & (KeyExpireCondition.Gt | KeyExpireCondition.Lt)) == (KeyExpireCondition.Gt | KeyExpireCondition.Lt))
        {
            context.Reply.Error(GtLtIncompatible);
            return false;
        }

        return true;
    }

    /// <summary>
    /// Whether a new expiry at <paramref name="newAtMs"/> may replace <paramref name="currentAtMs"/> (0 = no TTL,
    /// which GT and LT treat as infinite).
    /// </summary>
    public static bool Allows(KeyExpireCondition condition, long currentAtMs, long newAtMs)
    {
        bool hasTtl = currentAtMs != 0;
        if ((condition & KeyExpireCondition.Nx) != 0 && hasTtl)
        {
            return false;
        }

        if ((condition & KeyExpireCondition.Xx) != 0 && !hasTtl)
        {
            return false;
        }

        if ((condition & KeyExpireCondition.Gt) != 0 && (!hasTtl || newAtMs <= currentAtMs))
        {
            return false;
        }

        return (condition & KeyExpireCondition.Lt) == 0 || !hasTtl || newAtMs < currentAtMs;
    }

    private static void ReplyUnsupported(CommandContext context, ReadOnlySpan<byte> option)
    {
        // The option is echoed byte for byte, as Redis does; this is an error path, so the copy is fine.
        var message = new byte[UnsupportedOption.Length + option.Length];
        UnsupportedOption.CopyTo(message);
        option.CopyTo(message.AsSpan(UnsupportedOption.Length));
        context.Reply.Error(message);
    }
}
