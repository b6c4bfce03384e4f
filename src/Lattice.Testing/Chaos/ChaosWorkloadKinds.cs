namespace Lattice.Testing.Chaos;

[Flags]
public enum ChaosWorkloadKinds
{
    None = 0,
    Register = 1,
    Counter = 2,
    Set = 4,
    Append = 8,
    All = Register | Counter | Set | Append,
}
