namespace Lattice.Engine;

/// <summary>The options of SET and GETEX.</summary>
[Flags]
public enum StringSetFlags
{
    None = 0,
    Nx = 1,
    Xx = 2,
    Get = 4,
    KeepTtl = 8,
    Persist = 16,

    /// <summary>Relative seconds.</summary>
    Ex = 32,

    /// <summary>Relative milliseconds.</summary>
    Px = 64,

    /// <summary>Absolute Unix seconds.</summary>
    ExAt = 128,

    /// <summary>Absolute Unix milliseconds.</summary>
    PxAt = 256,

    /// <summary>Any of the options that carry a time.</summary>
    AnyExpiry = Ex | Px | ExAt | PxAt,
}
