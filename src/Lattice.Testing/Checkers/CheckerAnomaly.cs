namespace Lattice.Testing.Checkers;

/// <summary>One anomaly, with a sentence a person can act on.</summary>
public sealed record CheckerAnomaly(CheckerAnomalyKind Kind, string Key, string Description)
{
    public override string ToString() => $"{Kind} on \"{Key}\": {Description}";
}
