namespace Lattice.Testing.Simulation;

internal enum SimulationEventKind : byte
{
    Deliver,
    Tick,
    SyncDone,
    Control,
}
