namespace Lattice.Server.Tests;

public sealed record DurabilityViolation(DurabilityViolationKind Kind, string Key, string Description)
{
    public override string ToString() => $"{Kind} at {Key}: {Description}";
}
