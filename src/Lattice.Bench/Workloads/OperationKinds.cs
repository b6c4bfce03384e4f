namespace Lattice.Bench.Workloads;

/// <summary>Names and count of <see cref="OperationKind"/> values, so per-kind arrays and reports stay in step.</summary>
public static class OperationKinds
{
    public const int Count = 5;

    public static string Name(OperationKind kind) => kind switch
    {
        OperationKind.Read => "read",
        OperationKind.Update => "update",
        OperationKind.Insert => "insert",
        OperationKind.Scan => "scan",
        OperationKind.ReadModifyWrite => "read-modify-write",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };
}
