using Lattice.Raft;
using Lattice.Raft.ConfChange;

namespace Lattice.Raft.Tests;

/// <summary>
/// A synchronous cluster for scenario tests: messages are delivered in FIFO order by <see cref="Stabilize"/>,
/// Readies are persisted to each node's <see cref="MemoryRaftStorage"/> and applied in full.
/// </summary>
internal sealed class TestCluster
{
    private readonly Queue<RaftMessage> _inFlight = new();
    private readonly HashSet<(ulong From, ulong To)> _cut = new();

    public TestCluster(int voters, int learners = 0, Func<RaftOptions, RaftOptions>? configure = null)
    {
        var voterIds = new ulong[voters];
        var learnerIds = new ulong[learners];
        for (int i = 0; i < voters; i++)
        {
            voterIds[i] = (ulong)i + 1;
        }

        for (int i = 0; i < learners; i++)
        {
            learnerIds[i] = (ulong)(voters + i) + 1;
        }

        var conf = new ConfState(voterIds, [], learnerIds, [], false);
        for (int i = 0; i < voters + learners; i++)
        {
            ulong id = (ulong)i + 1;
            var options = new RaftOptions { NodeId = id, GroupId = 1, ElectionTimeoutTicks = 10, HeartbeatTimeoutTicks = 1, RandomSeed = 42 };
            Nodes[id] = new TestNode(id, configure is null ? options : configure(options), conf);
        }
    }

    public SortedDictionary<ulong, TestNode> Nodes { get; } = new();

    /// <summary>Drops any message it returns true for, on top of the cut links.</summary>
    public Func<RaftMessage, bool>? Drop { get; set; }

    /// <summary>Every message delivered, in order, for tests that read like a transcript.</summary>
    public List<RaftMessage> Delivered { get; } = new();

    public TestNode this[ulong id] => Nodes[id];

    /// <summary>The delivered messages from <paramref name="start"/>, one a line, for assertion messages.</summary>
    public string Transcript(int start = 0)
    {
        var lines = new List<string>();
        for (int i = start; i < Delivered.Count; i++)
        {
            lines.Add(Delivered[i].ToString());
        }

        return string.Join('\n', lines);
    }

    public void Isolate(ulong id)
    {
        foreach (ulong other in Nodes.Keys)
        {
            if (other != id)
            {
                _cut.Add((id, other));
                _cut.Add((other, id));
            }
        }
    }

    public void Cut(ulong from, ulong to) => _cut.Add((from, to));

    public void Heal() => _cut.Clear();

    public ulong Elect(ulong id)
    {
        Nodes[id].Raft.Campaign();
        Stabilize();
        Assert.Equal(RaftRole.Leader, Nodes[id].Raft.Role);
        return id;
    }

    public void Tick(ulong id, int times = 1)
    {
        for (int i = 0; i < times; i++)
        {
            Nodes[id].Raft.Tick();
        }
    }

    public void TickAll(int times = 1)
    {
        for (int i = 0; i < times; i++)
        {
            foreach (TestNode node in Nodes.Values)
            {
                node.Raft.Tick();
            }

            Stabilize();
        }
    }

    /// <summary>Processes Readies and delivers messages until nothing moves.</summary>
    public void Stabilize(int maxRounds = 10_000)
    {
        for (int round = 0; round < maxRounds; round++)
        {
            bool moved = false;
            foreach (TestNode node in Nodes.Values)
            {
                while (node.Raft.HasReady())
                {
                    moved = true;
                    node.HandleReady(_inFlight);
                }
            }

            while (_inFlight.TryDequeue(out RaftMessage message))
            {
                moved = true;
                if (_cut.Contains((message.From, message.To)) || Drop?.Invoke(message) == true ||
                    !Nodes.TryGetValue(message.To, out TestNode? target))
                {
                    continue;
                }

                Delivered.Add(message);
                target.Raft.Step(message);
            }

            if (!moved)
            {
                return;
            }
        }

        throw new InvalidOperationException("cluster did not stabilize");
    }

    public void Propose(ulong leader, string text)
    {
        Assert.True(Nodes[leader].Raft.Propose(System.Text.Encoding.UTF8.GetBytes(text)));
        Stabilize();
    }
}
