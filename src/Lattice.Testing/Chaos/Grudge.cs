using System.Globalization;
using System.Text;

namespace Lattice.Testing.Chaos;

/// <summary>
/// Who cannot hear whom during a partition: for each node (by slot), the nodes whose traffic it drops. Built from
/// components: two nodes hear each other when some component holds both (a bridge node sits in two components).
/// </summary>
public sealed class Grudge
{
    private readonly SortedSet<int>[] _drops;

    private Grudge(int nodes, string description)
    {
        _drops = new SortedSet<int>[nodes];
        for (int i = 0; i < nodes; i++)
        {
            _drops[i] = [];
        }

        Description = description;
    }

    /// <summary>What the partition is, in words and slots, for the report (e.g. "isolate n3 | n1 n2 n4 n5").</summary>
    public string Description { get; }

    public IReadOnlyCollection<int> DroppedBy(int slot) => _drops[slot];

    public static Grudge FromComponents(int nodes, string kind, IReadOnlyList<IReadOnlyList<int>> components)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(nodes, 2);
        ArgumentNullException.ThrowIfNull(components);
        var text = new StringBuilder(kind).Append(' ');
        for (int c = 0; c < components.Count; c++)
        {
            text.Append(c == 0 ? string.Empty : " | ");
            foreach (int slot in components[c])
            {
                ArgumentOutOfRangeException.ThrowIfNegative(slot);
                ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(slot, nodes);
                text.Append(CultureInfo.InvariantCulture, $"n{slot + 1} ");
            }

            text.Length--;
        }

        var grudge = new Grudge(nodes, text.ToString());
        for (int a = 0; a < nodes; a++)
        {
            for (int b = 0; b < nodes; b++)
            {
                if (a != b && !Together(components, a, b))
                {
                    grudge._drops[a].Add(b);
                }
            }
        }

        return grudge;
    }

    /// <summary>One node alone, the rest together.</summary>
    public static Grudge Isolate(int nodes, int slot)
    {
        var rest = new List<int>();
        for (int i = 0; i < nodes; i++)
        {
            if (i != slot)
            {
                rest.Add(i);
            }
        }

        return FromComponents(nodes, "isolate", [[slot], rest]);
    }

    /// <summary>A random minority and majority.</summary>
    public static Grudge Halves(int nodes, Random random)
    {
        int[] order = Shuffled(nodes, random);
        return FromComponents(nodes, "halves", [order[..(nodes / 2)], order[(nodes / 2)..]]);
    }

    /// <summary>
    /// Every node hears a majority (itself and its nearest neighbours on a random ring) but no two nodes hear the
    /// same majority, so elections keep being contested (Jepsen's majorities-ring).
    /// </summary>
    public static Grudge MajorityRing(int nodes, Random random)
    {
        int[] ring = Shuffled(nodes, random);
        int reach = ((nodes / 2) + 1) / 2;
        var text = new StringBuilder("majority-ring");
        foreach (int slot in ring)
        {
            text.Append(CultureInfo.InvariantCulture, $" n{slot + 1}");
        }

        var grudge = new Grudge(nodes, text.ToString());
        for (int i = 0; i < nodes; i++)
        {
            for (int j = 0; j < nodes; j++)
            {
                int distance = Math.Abs(i - j);
                if (Math.Min(distance, nodes - distance) > reach)
                {
                    grudge._drops[ring[i]].Add(ring[j]);
                }
            }
        }

        return grudge;
    }

    /// <summary>Two halves that hear only one node between them, which hears everyone.</summary>
    public static Grudge Bridge(int nodes, Random random)
    {
        int[] order = Shuffled(nodes, random);
        int bridge = order[0];
        int half = (nodes - 1) / 2;
        int[] left = [bridge, .. order[1..(1 + half)]];
        int[] right = [bridge, .. order[(1 + half)..]];
        return FromComponents(nodes, "bridge", [left, right]);
    }

    private static bool Together(IReadOnlyList<IReadOnlyList<int>> components, int a, int b)
    {
        foreach (IReadOnlyList<int> component in components)
        {
            if (component.Contains(a) && component.Contains(b))
            {
                return true;
            }
        }

        return false;
    }

    private static int[] Shuffled(int nodes, Random random)
    {
        int[] order = new int[nodes];
        for (int i = 0; i < nodes; i++)
        {
            order[i] = i;
        }

        random.Shuffle(order);
        return order;
    }
}
