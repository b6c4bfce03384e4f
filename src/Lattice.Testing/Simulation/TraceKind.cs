namespace Lattice.Testing.Simulation;

internal enum TraceKind : byte
{
    Deliver,
    Drop,
    Crash,
    Restart,
    Partition,
    Heal,
    Propose,
    ConfChange,
    Transfer,
    Leader,
    ClientInvoke,
    ClientComplete,
    Snapshot,
    Phase,
    Violation,
}
