namespace Lattice.Engine;

/// <summary>
/// Turns the time argument of SET-style options and of the EXPIRE family into an absolute Unix time in ms,
/// refusing what Redis refuses as an "invalid expire time" (non-positive for SET, overflow for both).
/// </summary>
public static class KeyExpireTime
{
    private const long MsPerSecond = 1000;

    /// <summary>
    /// SET/SETEX/GETEX rules: the value must be positive; EX/PX are relative to <paramref name="nowMs"/>,
    /// EXAT/PXAT absolute. False when Redis answers "invalid expire time".
    /// </summary>
    public static bool TryFromSetOption(long value, bool seconds, bool relative, long nowMs, out long atMs)
    {
        atMs = 0;
        if (value <= 0 || (seconds && value > long.MaxValue / MsPerSecond))
        {
            return false;
        }

        long ms = seconds ? value * MsPerSecond : value;
        if (relative)
        {
            if (ms > long.MaxValue - nowMs)
            {
                return false;
            }

            ms += nowMs;
        }

        atMs = ms;
        return true;
    }

    /// <summary>
    /// EXPIRE-family rules: any value (negative means already past), added to <paramref name="baseMs"/>
    /// (0 for the *AT forms); false on overflow. The result may be negative.
    /// </summary>
    public static bool TryFromExpireArgument(long value, bool seconds, long baseMs, out long atMs)
    {
        atMs = 0;
        if (seconds && (value > long.MaxValue / MsPerSecond || value < long.MinValue / MsPerSecond))
        {
            return false;
        }

        long ms = seconds ? value * MsPerSecond : value;
        if (ms > long.MaxValue - baseMs)
        {
            return false;
        }

        atMs = ms + baseMs;
        return true;
    }
}
