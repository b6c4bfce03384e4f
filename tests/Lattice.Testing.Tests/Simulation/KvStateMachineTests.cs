using Lattice.Testing.Simulation;

namespace Lattice.Testing.Tests.Simulation;

public sealed class KvStateMachineTests
{
    [Fact]
    public void Commands_round_trip_and_compare_and_set_only_applies_on_a_match()
    {
        var command = new KvCommand(KvCommandKind.CompareAndSet, 42, "k1", "new", null);
        KvCommand decoded = KvCommand.Decode(command.Encode());
        Assert.Equal(command, decoded);

        var machine = new KvStateMachine();
        Assert.True(machine.Apply(decoded).Applied);
        Assert.False(machine.Apply(new KvCommand(KvCommandKind.CompareAndSet, 43, "k1", "x", "other")).Applied);
        Assert.Equal("new", machine.Apply(new KvCommand(KvCommandKind.LogGet, 44, "k1", null, null)).Observed);
    }

    [Fact]
    public void Snapshots_restore_the_same_state_and_the_same_bytes()
    {
        var machine = new KvStateMachine();
        machine.Apply(new KvCommand(KvCommandKind.Put, 1, "b", "2", null));
        machine.Apply(new KvCommand(KvCommandKind.Put, 2, "a", "1", null));
        byte[] image = machine.Serialize();

        var restored = new KvStateMachine();
        restored.Restore(image);
        Assert.Equal("1", restored.Get("a"));
        Assert.Equal("2", restored.Get("b"));
        Assert.Equal(image, restored.Serialize());
    }
}
