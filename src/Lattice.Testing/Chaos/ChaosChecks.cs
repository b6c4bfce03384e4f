using System.Globalization;
using Lattice.Testing.Checkers;
using Lattice.Testing.History;
using Lattice.Testing.Linearizability;

namespace Lattice.Testing.Chaos;

/// <summary>Which checker judges which workload's history; used by a run and by `lattice chaos --check`.</summary>
public static class ChaosChecks
{
    public static IReadOnlyList<string> Workloads { get; } = ["register", "counter", "set", "append"];

    public static ChaosVerdict Check(string workload, IReadOnlyList<HistoryOperation> history)
    {
        ArgumentNullException.ThrowIfNull(history);
        switch (workload)
        {
            case "register":
                LinearizabilityResult result = LinearizabilityChecker.CheckRegisters(history);
                string text = result.IsLinearizable
                    ? string.Create(CultureInfo.InvariantCulture, $"register: valid. {result.KeysChecked} keys linearizable")
                    : (result.IsUnknown ? "register: unknown. " : "register: INVALID. ") + result.Explanation;
                return new ChaosVerdict(workload, result.IsLinearizable, result.IsUnknown, result.IsLinearizable || result.IsUnknown ? 0 : 1, text);
            case "counter":
                return ChaosVerdict.From(workload, CounterChecker.Check(history));
            case "set":
                return ChaosVerdict.From(workload, SetChecker.Check(history));
            case "append":
                return ChaosVerdict.From(workload, ListAppendChecker.Check(history));
            default:
                throw new ArgumentException($"no checker for workload '{workload}'", nameof(workload));
        }
    }
}
