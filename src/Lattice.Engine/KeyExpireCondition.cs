namespace Lattice.Engine;

/// <summary>The NX, XX, GT and LT options of EXPIRE, PEXPIRE, EXPIREAT and PEXPIREAT.</summary>
[Flags]
public enum KeyExpireCondition
{
    None = 0,

    /// <summary>Only when the key has no TTL.</summary>
    Nx = 1,

    /// <summary>Only when the key has a TTL.</summary>
    Xx = 2,

    /// <summary>Only when the new expiry is later than the current one (no TTL counts as infinite).</summary>
    Gt = 4,

    /// <summary>Only when the new expiry is earlier than the current one (no TTL counts as infinite).</summary>
    Lt = 8,
}
