namespace Lattice.Testing.History;

internal enum HistoryEventType
{
    Invoke,
    Complete,
    Operation,
}
