namespace Lattice.Server.Tests;

public enum DurabilityViolationKind
{
    /// <summary>A write the server acknowledged is missing, or was overwritten by an older value.</summary>
    LostAcknowledgedWrite,

    /// <summary>A value (or key) shows up that no client ever wrote.</summary>
    NeverWrittenValue,

    /// <summary>A list holds written values, but not in the order they were appended.</summary>
    OutOfOrder,
}
