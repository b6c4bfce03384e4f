using System.Globalization;

namespace Lattice.Testing.History;

/// <summary>One-line, human-readable renderings of operations for checker explanations.</summary>
public static class HistoryOperationText
{
    /// <summary>Longest value shown in full; longer ones are cut so one explanation stays readable.</summary>
    public const int MaxValueCharsShown = 64;

    public static string Describe(HistoryOperation operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        string action = operation.Kind switch
        {
            OperationKind.Read => operation.Outcome == OperationOutcome.Ok ? $"read -> {Quote(operation.Value)}" : "read",
            OperationKind.Write => $"write {Quote(operation.Value)}",
            OperationKind.CompareAndSet => $"cas {Quote(operation.Expected)} -> {Quote(operation.Value)}",
            OperationKind.Increment => $"increment by {operation.Value}",
            OperationKind.Add => $"add {Quote(operation.Value)}",
            OperationKind.Append => $"append {Quote(operation.Value)}",
            _ => operation.Kind.ToString(),
        };
        string complete = operation.CompleteTime == long.MaxValue
            ? "?"
            : operation.CompleteTime.ToString(CultureInfo.InvariantCulture);
        string outcome = operation.Outcome.ToString().ToLowerInvariant();
        return string.Create(
            CultureInfo.InvariantCulture,
            $"#{operation.Id} p{operation.Process} {operation.Key}: {action} [{operation.InvokeTime}, {complete}] {outcome}");
    }

    public static string Quote(string? value)
    {
        if (value is null)
        {
            return "absent";
        }

        return value.Length <= MaxValueCharsShown
            ? $"\"{value}\""
            : $"\"{value[..MaxValueCharsShown]}...\" ({value.Length} chars)";
    }
}
