using System.Globalization;
using Lattice.Common;
using Lattice.Testing.History;

namespace Lattice.Testing.Linearizability;

/// <summary>
/// Checks histories for linearizability one key at a time. Keys are independent objects, and a
/// history is linearizable exactly when each key's sub-history is (locality, or P-compositionality),
/// which keeps each search small. Fail operations did not happen and are dropped.
/// </summary>
public static class LinearizabilityChecker
{
    /// <summary>Checks every key against a read/write/compare-and-set register starting absent.</summary>
    public static LinearizabilityResult CheckRegisters(IReadOnlyList<HistoryOperation> history, LinearizabilityOptions? options = null) =>
        Check(history, RegisterModel.Instance, options);

    /// <summary>
    /// Checks every key against <paramref name="model"/>. Returns the first key (in order of first
    /// appearance) proven non-linearizable; otherwise Unknown if any key ran out of budget.
    /// </summary>
    public static LinearizabilityResult Check<TState>(
        IReadOnlyList<HistoryOperation> history, IModel<TState> model, LinearizabilityOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(model);
        options ??= LinearizabilityOptions.Default;
        options.Validate();
        List<(string Key, List<HistoryOperation> Operations)> keys = PartitionByKey(history, model);
        string? unknownKey = null;
        string unknownExplanation = string.Empty;
        long totalSteps = 0;
        int keysChecked = 0;
        foreach ((string key, List<HistoryOperation> operations) in keys)
        {
            KeyVerdict verdict = CheckKey(key, operations, model, options);
            keysChecked++;
            totalSteps += verdict.StepsTaken;
            if (verdict.IsUnknown)
            {
                unknownKey ??= key;
                unknownExplanation = unknownKey == key ? verdict.Explanation : unknownExplanation;
            }
            else if (!verdict.IsLinearizable)
            {
                return new LinearizabilityResult(false, false, key, verdict.Explanation) { KeysChecked = keysChecked, StepsTaken = totalSteps };
            }
        }

        if (unknownKey is not null)
        {
            return new LinearizabilityResult(false, true, unknownKey, unknownExplanation) { KeysChecked = keys.Count, StepsTaken = totalSteps };
        }

        string summary = string.Create(
            CultureInfo.InvariantCulture,
            $"linearizable: {keys.Count} keys, {keys.Sum(k => k.Operations.Count)} operations checked, {totalSteps} search steps");
        return new LinearizabilityResult(true, false, null, summary) { KeysChecked = keys.Count, StepsTaken = totalSteps };
    }

    private static KeyVerdict CheckKey<TState>(string key, List<HistoryOperation> operations, IModel<TState> model, LinearizabilityOptions options)
    {
        if (operations.Count > options.MaxOperationsPerKey)
        {
            return new KeyVerdict(false, true, $"key \"{key}\" has {operations.Count} operations, over the limit of {options.MaxOperationsPerKey}", 0);
        }

        IReadOnlyList<HistoryOperation> toPlace = model.SelectOperationsToPlace(operations);
        Invariant.Check(toPlace.Count <= operations.Count, "a model may only leave operations out");
        var search = new WglSearch<TState>(model, toPlace, options);
        (bool? isLinearizable, long steps) = search.Run(options.MaxStatesExploredPerKey);
        return isLinearizable switch
        {
            true => new KeyVerdict(true, false, string.Empty, steps),
            false => new KeyVerdict(false, false, LinearizabilityExplanation.Build(key, model, toPlace, search.Progress), steps),
            null => new KeyVerdict(false, true, string.Create(
                CultureInfo.InvariantCulture,
                $"key \"{key}\": search budget exhausted after {steps} steps; linearizability unknown ({toPlace.Count} operations to place)"), steps),
        };
    }

    /// <summary>Groups the operations that matter by key, keeping first-appearance order so results are deterministic.</summary>
    private static List<(string Key, List<HistoryOperation> Operations)> PartitionByKey<TState>(
        IReadOnlyList<HistoryOperation> history, IModel<TState> model)
    {
        var byKey = new Dictionary<string, List<HistoryOperation>>(StringComparer.Ordinal);
        var keys = new List<(string Key, List<HistoryOperation> Operations)>();
        foreach (HistoryOperation operation in history)
        {
            Validate(operation, model);
            if (operation.Outcome == OperationOutcome.Fail)
            {
                continue;
            }

            if (!byKey.TryGetValue(operation.Key, out List<HistoryOperation>? operations))
            {
                operations = [];
                byKey.Add(operation.Key, operations);
                keys.Add((operation.Key, operations));
            }

            operations.Add(operation);
        }

        Invariant.Check(byKey.Count == keys.Count, "every key is listed once");
        return keys;
    }

    private static void Validate<TState>(HistoryOperation operation, IModel<TState> model)
    {
        ArgumentNullException.ThrowIfNull(operation, nameof(operation));
        if (!model.Supports(operation.Kind))
        {
            throw new ArgumentException($"the model does not support {operation.Kind}: {HistoryOperationText.Describe(operation)}", nameof(operation));
        }

        if (operation.Outcome != OperationOutcome.Info && operation.CompleteTime < operation.InvokeTime)
        {
            throw new ArgumentException($"operation completes before it is invoked: {HistoryOperationText.Describe(operation)}", nameof(operation));
        }
    }
}
