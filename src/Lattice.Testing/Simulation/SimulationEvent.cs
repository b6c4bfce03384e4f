using Lattice.Raft;

namespace Lattice.Testing.Simulation;

/// <summary>A scheduled event; <see cref="Incarnation"/> lets events of a crashed process be ignored.</summary>
internal readonly record struct SimulationEvent(SimulationEventKind Kind, int Node, int Incarnation, RaftMessage Message);
