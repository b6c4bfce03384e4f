namespace Lattice.Testing.History;

/// <summary>The stable text names used in history files; renaming an enum member must not change a file.</summary>
internal static class HistoryJsonNames
{
    public const string Type = "type";
    public const string Id = "id";
    public const string Process = "process";
    public const string Kind = "kind";
    public const string Key = "key";
    public const string Value = "value";
    public const string Expected = "expected";
    public const string Time = "time";
    public const string InvokeTime = "invoke";
    public const string CompleteTime = "complete";
    public const string Outcome = "outcome";

    public const string InvokeEvent = "invoke";
    public const string CompleteEvent = "complete";
    public const string OperationLine = "op";

    public static string KindName(OperationKind kind) => kind switch
    {
        OperationKind.Read => "read",
        OperationKind.Write => "write",
        OperationKind.CompareAndSet => "cas",
        OperationKind.Increment => "increment",
        OperationKind.Add => "add",
        OperationKind.Append => "append",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown operation kind"),
    };

    public static OperationKind ParseKind(string? name) => name switch
    {
        "read" => OperationKind.Read,
        "write" => OperationKind.Write,
        "cas" => OperationKind.CompareAndSet,
        "increment" => OperationKind.Increment,
        "add" => OperationKind.Add,
        "append" => OperationKind.Append,
        _ => throw new FormatException($"unknown operation kind \"{name}\""),
    };

    public static string OutcomeName(OperationOutcome outcome) => outcome switch
    {
        OperationOutcome.Ok => "ok",
        OperationOutcome.Fail => "fail",
        OperationOutcome.Info => "info",
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, "unknown outcome"),
    };

    public static OperationOutcome ParseOutcome(string? name) => name switch
    {
        "ok" => OperationOutcome.Ok,
        "fail" => OperationOutcome.Fail,
        "info" => OperationOutcome.Info,
        _ => throw new FormatException($"unknown outcome \"{name}\""),
    };
}
