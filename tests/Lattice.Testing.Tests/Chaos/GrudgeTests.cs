using Lattice.Testing.Chaos;

namespace Lattice.Testing.Tests.Chaos;

public sealed class GrudgeTests
{
    [Fact]
    public void Isolating_a_node_cuts_it_from_everyone_and_nothing_else()
    {
        Grudge grudge = Grudge.Isolate(5, 2);
        Assert.Equal([0, 1, 3, 4], grudge.DroppedBy(2));
        foreach (int other in new[] { 0, 1, 3, 4 })
        {
            Assert.Equal([2], grudge.DroppedBy(other));
        }

        Assert.Equal("isolate n3 | n1 n2 n4 n5", grudge.Description);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(5)]
    [InlineData(7)]
    public void Halves_are_a_minority_and_a_majority_that_cannot_hear_each_other(int nodes)
    {
        Grudge grudge = Grudge.Halves(nodes, new Random(nodes));
        var sizes = new List<int>();
        for (int slot = 0; slot < nodes; slot++)
        {
            int hears = nodes - grudge.DroppedBy(slot).Count;
            sizes.Add(hears);
            AssertSymmetric(grudge, slot);
        }

        Assert.Contains(nodes / 2, sizes);
        Assert.Contains(nodes - (nodes / 2), sizes);
        Assert.All(sizes, size => Assert.True(size == nodes / 2 || size == nodes - (nodes / 2)));
    }

    [Theory]
    [InlineData(5)]
    [InlineData(7)]
    public void In_a_majority_ring_every_node_hears_a_majority_and_no_two_hear_the_same_one(int nodes)
    {
        Grudge grudge = Grudge.MajorityRing(nodes, new Random(3));
        var heardSets = new HashSet<string>();
        for (int slot = 0; slot < nodes; slot++)
        {
            var heard = new List<int>();
            for (int other = 0; other < nodes; other++)
            {
                if (!grudge.DroppedBy(slot).Contains(other))
                {
                    heard.Add(other);
                }
            }

            Assert.True(heard.Count > nodes / 2, $"n{slot + 1} hears only {heard.Count} of {nodes}");
            Assert.True(heard.Count < nodes, $"n{slot + 1} hears everyone");
            Assert.True(heardSets.Add(string.Join(',', heard)), $"two nodes hear the same majority {string.Join(',', heard)}");
            AssertSymmetric(grudge, slot);
        }
    }

    [Fact]
    public void A_bridge_node_hears_everyone_and_the_two_sides_hear_only_it()
    {
        Grudge grudge = Grudge.Bridge(5, new Random(7));
        int bridges = 0;
        for (int slot = 0; slot < 5; slot++)
        {
            int dropped = grudge.DroppedBy(slot).Count;
            Assert.True(dropped is 0 or 2, $"n{slot + 1} drops {dropped}");
            bridges += dropped == 0 ? 1 : 0;
            AssertSymmetric(grudge, slot);
        }

        Assert.Equal(1, bridges);
    }

    [Fact]
    public void Components_must_name_nodes_of_the_cluster()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Grudge.FromComponents(3, "bad", [[0, 3], [1]]));
        Assert.Throws<ArgumentOutOfRangeException>(() => Grudge.FromComponents(1, "bad", [[0]]));
    }

    private static void AssertSymmetric(Grudge grudge, int slot)
    {
        foreach (int other in grudge.DroppedBy(slot))
        {
            Assert.Contains(slot, grudge.DroppedBy(other));
        }
    }
}
