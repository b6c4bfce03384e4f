namespace Lattice.Testing.Chaos;

/// <summary>The fault families a run may inject; the schedule picks among those enabled.</summary>
[Flags]
public enum ChaosNemesisKinds
{
    None = 0,
    Partition = 1,
    Kill = 2,
    Pause = 4,
    Clock = 8,
    Membership = 16,
    All = Partition | Kill | Pause | Clock | Membership,
}
