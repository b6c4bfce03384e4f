using Lattice.Resp;

namespace Lattice.Engine;

/// <summary>
/// Parses SET's and GETEX's options with Redis 7's rules: NX/XX exclude each other; KEEPTTL, PERSIST and
/// the four expiry forms exclude each other (repeating the same expiry form keeps the last one); GET, NX,
/// XX and KEEPTTL belong to SET, PERSIST to GETEX.
/// </summary>
public readonly struct StringSetOptions
{
    public StringSetFlags Flags { get; init; }

    /// <summary>Argument index of the expiry time, or 0 when there is none.</summary>
    public int ExpiryAt { get; init; }

    public bool Has(StringSetFlags flag) => (Flags & flag) != 0;

    /// <summary>Parses from <paramref name="first"/> on; false on a syntax error (the caller replies).</summary>
    public static bool TryParse(CommandArgs args, int first, bool forSet, out StringSetOptions options)
    {
        options = default;
        StringSetFlags flags = StringSetFlags.None;
        int expiryAt = 0;
        for (int i = first; i < args.Count; i++)
        {
            StringSetFlags flag = Recognize(args, i, forSet);
            if (flag == StringSetFlags.None || !Compatible(flags, flag))
            {
                return false;
            }

            if ((flag & StringSetFlags.AnyExpiry) != 0)
            {
                if (i + 1 >= args.Count)
                {
                    return false;
                }

                expiryAt = ++i;
            }

            flags |= flag;
        }

        options = new StringSetOptions { Flags = flags, ExpiryAt = expiryAt };
        return true;
    }

    /// <summary>
    /// The absolute expiry in Unix ms (0 when no expiry option was given); on a bad time writes the error reply
    /// ("invalid expire time in '<paramref name="command"/>' command" or "not an integer") and returns false.
    /// </summary>
    public bool TryResolveExpiry(CommandContext context, CommandArgs args, string command, out long expireAtMs)
    {
        ArgumentNullException.ThrowIfNull(context);
        expireAtMs = 0;
        if (ExpiryAt == 0)
        {
            return true;
        }

        if (!ArgParser.TryParseInt64(args[ExpiryAt], out long value))
        {
            context.Reply.Error(Errors.NotInteger);
            return false;
        }

        bool seconds = Has(StringSetFlags.Ex | StringSetFlags.ExAt);
        bool relative = Has(StringSetFlags.Ex | StringSetFlags.Px);
        if (!KeyExpireTime.TryFromSetOption(value, seconds, relative, context.TimeMs, out expireAtMs))
        {
            context.Reply.Error(Errors.InvalidExpireTime(command));
            return false;
        }

        return true;
    }

    private static StringSetFlags Recognize(CommandArgs args, int i, bool forSet)
    {
        if (args.Is(i, "EX"u8))
        {
            return StringSetFlags.Ex;
        }

        if (args.Is(i, "PX"u8))
        {
            return StringSetFlags.Px;
        }

        if (args.Is(i, "EXAT"u8))
        {
            return StringSetFlags.ExAt;
        }

        if (args.Is(i, "PXAT"u8))
        {
            return StringSetFlags.PxAt;
        }

        if (!forSet)
        {
            return args.Is(i, "PERSIST"u8) ? StringSetFlags.Persist : StringSetFlags.None;
        }

        if (args.Is(i, "NX"u8))
        {
            return StringSetFlags.Nx;
        }

        if (args.Is(i, "XX"u8))
        {
            return StringSetFlags.Xx;
        }

        if (args.Is(i, "GET"u8))
        {
            return StringSetFlags.Get;
        }

        return args.Is(i, "KEEPTTL"u8) ? StringSetFlags.KeepTtl : StringSetFlags.None;
    }

    private static bool Compatible(StringSetFlags present, StringSetFlags adding)
    {
        const StringSetFlags ttlChoices = StringSetFlags.AnyExpiry | StringSetFlags.KeepTtl | StringSetFlags.Persist;
        if (adding is StringSetFlags.Nx or StringSetFlags.Xx)
        {
            return (present & (StringSetFlags.Nx | StringSetFlags.Xx) & ~adding) == 0;
        }

        if ((adding & ttlChoices) != 0)
        {
            // The same expiry form may repeat (the later time wins); any other TTL choice conflicts.
            return (present & ttlChoices & ~adding) == 0;
        }

        return true;
    }
}
