using Lattice.Common;

namespace Lattice.Testing.Checkers;

/// <summary>Gathers anomalies, keeping the first few in full and only counting the rest.</summary>
internal sealed class AnomalyCollector(string checkerName, CheckerOptions options)
{
    private readonly List<CheckerAnomaly> _listed = [];
    private readonly Dictionary<CheckerAnomalyKind, int> _countByKind = [];
    private int _count;

    public int Count => _count;

    public void Add(CheckerAnomalyKind kind, string key, string description)
    {
        _count++;
        _countByKind[kind] = _countByKind.GetValueOrDefault(kind) + 1;
        if (_listed.Count < options.MaxAnomaliesListed)
        {
            _listed.Add(new CheckerAnomaly(kind, key, description));
        }

        Invariant.Check(_listed.Count <= _count, "cannot list more anomalies than were found");
    }

    /// <summary>Only <see cref="CheckerAnomalyKind.NoFinalRead"/> anomalies make the verdict unknown rather than invalid.</summary>
    public CheckerResult ToResult(string summary)
    {
        bool onlyUnchecked = _count > 0 && _countByKind.Keys.All(kind => kind == CheckerAnomalyKind.NoFinalRead);
        return new CheckerResult(checkerName, _count == 0, onlyUnchecked, _listed.ToArray(), _count, new Dictionary<CheckerAnomalyKind, int>(_countByKind), summary);
    }
}
