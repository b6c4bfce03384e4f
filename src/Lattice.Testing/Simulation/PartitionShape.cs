namespace Lattice.Testing.Simulation;

internal enum PartitionShape : byte
{
    IsolateLeader,
    IsolateOne,
    MajorityMinority,
    Bridge,
    Ring,
}
