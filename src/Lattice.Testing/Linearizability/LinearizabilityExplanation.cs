using System.Globalization;
using System.Text;
using Lattice.Testing.History;

namespace Lattice.Testing.Linearizability;

/// <summary>Turns the deepest point of a failed search into text a person can follow.</summary>
internal static class LinearizabilityExplanation
{
    /// <summary>Prefix operations shown; the earlier ones are summarized by count.</summary>
    public const int MaxPrefixOperationsShown = 10;

    /// <summary>Competing operations shown at the stuck point.</summary>
    public const int MaxPendingOperationsShown = 8;

    public static string Build<TState>(
        string key, IModel<TState> model, IReadOnlyList<HistoryOperation> operations, LinearizationProgress<TState> progress)
    {
        var text = new StringBuilder();
        int[] prefix = progress.BestPrefix;
        text.Append(CultureInfo.InvariantCulture, $"key \"{key}\" is not linearizable. ");
        text.Append(CultureInfo.InvariantCulture, $"The longest linearizable prefix found orders {prefix.Length} of {operations.Count} operations");
        int firstShown = Math.Max(0, prefix.Length - MaxPrefixOperationsShown);
        text.Append(firstShown > 0 ? $"; its last {prefix.Length - firstShown} are:" : (prefix.Length > 0 ? ":" : "."));
        text.AppendLine();
        for (int i = firstShown; i < prefix.Length; i++)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  {i + 1}. {HistoryOperationText.Describe(operations[prefix[i]])}");
        }

        text.AppendLine(CultureInfo.InvariantCulture, $"State after that prefix: {model.DescribeState(progress.StateAfterBestPrefix)}.");
        if (progress.StuckOperation >= 0)
        {
            AppendStuck(text, model, operations, progress);
        }

        return text.ToString().TrimEnd();
    }

    private static void AppendStuck<TState>(
        StringBuilder text, IModel<TState> model, IReadOnlyList<HistoryOperation> operations, LinearizationProgress<TState> progress)
    {
        HistoryOperation stuck = operations[progress.StuckOperation];
        text.AppendLine(CultureInfo.InvariantCulture, $"Next, this operation had to take effect before it returned, but no order could place it:");
        text.AppendLine(CultureInfo.InvariantCulture, $"  {HistoryOperationText.Describe(stuck)}");
        var placed = new HashSet<int>(progress.BestPrefix);
        int shown = 0;
        int hidden = 0;
        for (int i = 0; i < operations.Count; i++)
        {
            if (placed.Contains(i) || operations[i].InvokeTime > stuck.CompleteTime)
            {
                continue;
            }

            if (shown == MaxPendingOperationsShown)
            {
                hidden++;
                continue;
            }

            if (shown++ == 0)
            {
                text.AppendLine("Operations that could have gone next, and whether the model accepts each after the prefix:");
            }

            bool accepted = model.Step(progress.StateAfterBestPrefix, operations[i]).Ok;
            text.AppendLine(CultureInfo.InvariantCulture, $"  {HistoryOperationText.Describe(operations[i])}: {(accepted ? "accepted" : "rejected")}");
        }

        if (hidden > 0)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  ... and {hidden} more.");
        }
    }
}
