namespace Lattice.Testing.Chaos;

/// <summary>A fault in progress: the nodes it holds (so a concurrent fault picks others) and how to undo it.</summary>
internal sealed class ActiveFault(string kind, string description, double startMs, IReadOnlyCollection<int> slots, Func<Task<string?>> heal)
{
    public string Kind { get; } = kind;

    public string Description { get; } = description;

    public double StartMs { get; } = startMs;

    public IReadOnlyCollection<int> Slots { get; } = slots;

    /// <summary>Undoes the fault; a returned text is appended to the description (e.g. what a restart found).</summary>
    public Func<Task<string?>> Heal { get; } = heal;
}
