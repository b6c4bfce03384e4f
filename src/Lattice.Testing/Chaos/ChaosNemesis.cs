using System.Diagnostics;
using System.Globalization;

namespace Lattice.Testing.Chaos;

/// <summary>
/// Injects faults on a schedule: a quiet spell, then one fault (or, one time in three, two of different families
/// at once, e.g. a membership change during a partition) held for the fault time, then healed. Targets favour the
/// leader, where faults hurt most. Every window is recorded for the report and the plot.
/// </summary>
internal sealed class ChaosNemesis
{
    private static readonly TimeSpan MembershipLimit = TimeSpan.FromSeconds(20);

    private readonly ChaosCluster _cluster;
    private readonly ChaosOptions _options;
    private readonly Random _random;
    private readonly Stopwatch _clock;
    private readonly Action<string> _log;
    private readonly List<ChaosNemesisKinds> _enabled = [];
    private readonly List<FaultWindow> _windows = [];
    private int _partitions;

    public ChaosNemesis(ChaosCluster cluster, ChaosOptions options, Stopwatch clock, Action<string> log)
    {
        _cluster = cluster;
        _options = options;
        _random = new Random((int)(options.Seed * 31 + 7));
        _clock = clock;
        _log = log;
        foreach (ChaosNemesisKinds kind in new[] { ChaosNemesisKinds.Partition, ChaosNemesisKinds.Kill, ChaosNemesisKinds.Pause, ChaosNemesisKinds.Clock, ChaosNemesisKinds.Membership })
        {
            if (options.Nemeses.HasFlag(kind))
            {
                _enabled.Add(kind);
            }
        }
    }

    public IReadOnlyList<FaultWindow> Windows => _windows;

    public async Task RunAsync(CancellationToken stop)
    {
        if (_enabled.Count == 0)
        {
            return;
        }

        while (!stop.IsCancellationRequested)
        {
            if (!await ChaosDelay.WaitAsync(Jitter(_options.QuietTime), stop).ConfigureAwait(false))
            {
                break;
            }

            var kinds = new List<ChaosNemesisKinds> { _enabled[_random.Next(_enabled.Count)] };
            if (_enabled.Count > 1 && _random.Next(3) == 0)
            {
                ChaosNemesisKinds second;
                do
                {
                    second = _enabled[_random.Next(_enabled.Count)];
                }
                while (second == kinds[0]);
                // A partition goes first, so the other fault knows which nodes it cut off (see CutOff).
                kinds.Insert(second == ChaosNemesisKinds.Partition ? 0 : 1, second);
            }

            var active = new List<ActiveFault>();
            var busy = new HashSet<int>();
            foreach (ChaosNemesisKinds kind in kinds)
            {
                ActiveFault? fault = await StartAsync(kind, busy).ConfigureAwait(false);
                if (fault is not null)
                {
                    _log($"[{Seconds(fault.StartMs)}] fault {fault.Kind}: {fault.Description}");
                    active.Add(fault);
                    busy.UnionWith(fault.Slots);
                }
            }

            _ = await ChaosDelay.WaitAsync(Jitter(_options.FaultTime), stop).ConfigureAwait(false);
            for (int i = active.Count - 1; i >= 0; i--)
            {
                ActiveFault fault = active[i];
                string? outcome = await fault.Heal().ConfigureAwait(false);
                double end = _clock.Elapsed.TotalMilliseconds;
                string description = outcome is null ? fault.Description : fault.Description + "; " + outcome;
                _windows.Add(new FaultWindow(fault.Kind, description, fault.StartMs, end));
                _log($"[{Seconds(end)}] healed {fault.Kind}{(outcome is null ? string.Empty : ": " + outcome)}");
            }
        }
    }

    /// <summary>After the run: whatever state the nodes are in, bring them all back (network, processes, clocks).</summary>
    public async Task HealAllAsync()
    {
        await _cluster.HealNetworkAsync().ConfigureAwait(false);
        foreach (ChaosNode node in _cluster.Nodes)
        {
            node.Resume();
            if (!node.IsRunning)
            {
                _cluster.Restart(node.Slot);
            }
        }

        if (_options.Nemeses.HasFlag(ChaosNemesisKinds.Clock))
        {
            foreach (ChaosNode node in _cluster.Nodes)
            {
                _ = await _cluster.SetClockOffsetAsync(node.Slot, 0).ConfigureAwait(false);
            }
        }
    }

    private async Task<ActiveFault?> StartAsync(ChaosNemesisKinds kind, HashSet<int> busy)
    {
        double start = _clock.Elapsed.TotalMilliseconds;
        switch (kind)
        {
            case ChaosNemesisKinds.Partition:
            {
                Grudge grudge = await PickPartitionAsync().ConfigureAwait(false);
                await _cluster.PartitionAsync(grudge).ConfigureAwait(false);
                return new ActiveFault("partition", grudge.Description, start, CutOff(grudge), async () =>
                {
                    await _cluster.HealNetworkAsync().ConfigureAwait(false);
                    return null;
                });
            }

            case ChaosNemesisKinds.Kill:
                return await StartProcessFaultAsync("kill", "kill -9", "restarted", start, busy, slot => _cluster.Nodes[slot].Kill(), _cluster.Restart).ConfigureAwait(false);

            case ChaosNemesisKinds.Pause:
                return await StartProcessFaultAsync(
                    "pause", "SIGSTOP", "SIGCONT", start, busy, slot => _cluster.Nodes[slot].Pause(), slot => _cluster.Nodes[slot].Resume()).ConfigureAwait(false);

            case ChaosNemesisKinds.Clock:
                return await StartClockAsync(start, busy).ConfigureAwait(false);

            case ChaosNemesisKinds.Membership:
                return await StartMembershipAsync(start, busy).ConfigureAwait(false);

            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, "not a single nemesis kind");
        }
    }

    /// <summary>A fault done to node processes (kill, pause) and undone per node when healed.</summary>
    private async Task<ActiveFault?> StartProcessFaultAsync(
        string kind, string verb, string undone, double start, HashSet<int> busy, Action<int> apply, Action<int> undo)
    {
        List<int> targets = await PickTargetsAsync(busy).ConfigureAwait(false);
        if (targets.Count == 0)
        {
            return null;
        }

        // Killing waits for the process to be gone: off the nemesis's async flow.
        await Task.Run(() => targets.ForEach(apply)).ConfigureAwait(false);
        return new ActiveFault(kind, verb + " " + Names(targets), start, targets, async () =>
        {
            await Task.Run(() => targets.ForEach(undo)).ConfigureAwait(false);
            return undone;
        });
    }

    private async Task<Grudge> PickPartitionAsync()
    {
        int nodes = _cluster.Nodes.Length;
        // Every other partition cuts the leader off (where a wrong acknowledgement or a stale read shows); the
        // others are drawn from the remaining shapes.
        if (_partitions++ % 2 == 0)
        {
            int? leader = await _cluster.FindLeaderAsync().ConfigureAwait(false);
            return leader is { } slot ? Grudge.Isolate(nodes, slot) : Grudge.Halves(nodes, _random);
        }

        return _random.Next(4) switch
        {
            0 => Grudge.Isolate(nodes, _random.Next(nodes)),
            1 => Grudge.Halves(nodes, _random),
            2 => Grudge.MajorityRing(nodes, _random),
            _ => Grudge.Bridge(nodes, _random),
        };
    }

    /// <summary>
    /// The leader (half the time) and random running nodes: one, or up to a minority. Faults that take nodes down
    /// (<paramref name="down"/>) count the nodes another fault already holds, so at most a minority is down at once.
    /// </summary>
    private async Task<List<int>> PickTargetsAsync(HashSet<int> busy, bool down = true)
    {
        var candidates = new List<int>();
        foreach (ChaosNode node in _cluster.Nodes)
        {
            if (!busy.Contains(node.Slot) && node.IsRunning && !node.IsPaused)
            {
                candidates.Add(node.Slot);
            }
        }

        // Up to a minority of nodes down at once (counting those another fault holds), so the cluster can go on.
        int minority = (_cluster.Nodes.Length - 1) / 2;
        int wanted = Math.Min(1 + _random.Next(minority), down ? minority - busy.Count : minority);
        var targets = new List<int>();
        if (wanted <= 0)
        {
            return targets;
        }

        if (_random.Next(2) == 0 && await _cluster.FindLeaderAsync().ConfigureAwait(false) is { } leader && candidates.Contains(leader))
        {
            targets.Add(leader);
            candidates.Remove(leader);
        }

        _random.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(candidates));
        for (int i = 0; targets.Count < wanted && i < candidates.Count; i++)
        {
            targets.Add(candidates[i]);
        }

        return targets;
    }

    /// <summary>Skews the wall clocks of some nodes by up to a minute either way, fixed or strobing several times a second.</summary>
    private async Task<ActiveFault?> StartClockAsync(double start, HashSet<int> busy)
    {
        List<int> targets = await PickTargetsAsync(busy, down: false).ConfigureAwait(false);
        if (targets.Count == 0)
        {
            return null;
        }

        long skew = (1 + _random.Next(60_000)) * (_random.Next(2) == 0 ? -1L : 1L);
        bool strobe = _random.Next(2) == 0;
        foreach (int slot in targets)
        {
            _ = await _cluster.SetClockOffsetAsync(slot, skew).ConfigureAwait(false);
        }

        var stop = new CancellationTokenSource();
        var strobeRandom = new Random(_random.Next());
        Task strober = strobe ? StrobeAsync() : Task.CompletedTask;
        string description = string.Create(CultureInfo.InvariantCulture, $"{(strobe ? "strobe" : "skew")} {Names(targets)} clock by {skew} ms");
        return new ActiveFault("clock", description, start, [], async () =>
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await strober.ConfigureAwait(false);
            stop.Dispose();
            foreach (int slot in targets)
            {
                _ = await _cluster.SetClockOffsetAsync(slot, 0).ConfigureAwait(false);
            }

            return "clocks reset";
        });

        async Task StrobeAsync()
        {
            bool flip = false;
            while (await ChaosDelay.WaitAsync(TimeSpan.FromMilliseconds(100 + strobeRandom.Next(200)), stop.Token).ConfigureAwait(false))
            {
                flip = !flip;
                foreach (int slot in targets)
                {
                    _ = await _cluster.SetClockOffsetAsync(slot, flip ? -skew : skew).ConfigureAwait(false);
                }
            }
        }
    }

    /// <summary>
    /// Replaces one node (remove, wipe, join under a new id); the window lasts until it is a voter again. A node
    /// whose removal completed only after the harness gave up on it (no longer in the leader's member list) is
    /// brought back first.
    /// </summary>
    /// <summary>
    /// Nodes that reach no majority under the grudge: a fault paired with this partition leaves them alone (a
    /// membership change asked through one of them could only wait), and they count against the minority that
    /// kills and pauses may take down.
    /// </summary>
    private List<int> CutOff(Grudge grudge)
    {
        int count = _cluster.Nodes.Length;
        var cut = new List<int>();
        for (int slot = 0; slot < count; slot++)
        {
            if (count - grudge.DroppedBy(slot).Count <= count / 2)
            {
                cut.Add(slot);
            }
        }

        return cut;
    }

    private async Task<ActiveFault?> StartMembershipAsync(double start, HashSet<int> busy)
    {
        int? leader = await _cluster.FindLeaderAsync().ConfigureAwait(false);
        HashSet<ulong>? members = leader is { } slot ? await _cluster.MembersAsync(slot).ConfigureAwait(false) : null;
        var healthy = new List<int>();
        int orphan = -1;
        foreach (ChaosNode node in _cluster.Nodes)
        {
            if (busy.Contains(node.Slot) || !node.IsRunning || node.IsPaused)
            {
                continue;
            }

            if (members is not null && !members.Contains(node.NodeId))
            {
                orphan = orphan < 0 ? node.Slot : orphan;
            }
            else
            {
                healthy.Add(node.Slot);
            }
        }

        if (healthy.Count < (orphan >= 0 ? 1 : 2))
        {
            return null;
        }

        int target = orphan >= 0 ? orphan : healthy[_random.Next(healthy.Count)];
        healthy.Remove(target);
        int via = leader is { } l && healthy.Contains(l) ? l : healthy[_random.Next(healthy.Count)];
        Task<string> replacing = ReplaceAsync(target, via, alreadyRemoved: orphan >= 0);
        string what = orphan >= 0 ? "bring back" : "replace";
        return new ActiveFault("membership", $"{what} {_cluster.Nodes[target].Name} (asked {_cluster.Nodes[via].Name})", start, [target, via], async () =>
            await replacing.ConfigureAwait(false));
    }

    private async Task<string> ReplaceAsync(int target, int via, bool alreadyRemoved)
    {
        string outcome = await _cluster.ReplaceAsync(target, via, MembershipLimit, alreadyRemoved).ConfigureAwait(false);
        ulong id = _cluster.Nodes[target].NodeId;
        if (outcome.StartsWith("remove ", StringComparison.Ordinal))
        {
            return outcome;
        }

        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < MembershipLimit)
        {
            Dictionary<string, string>? info = await _cluster.InfoAsync(via).ConfigureAwait(false);
            if (info?.GetValueOrDefault("raft_voters") is { } voters && Array.IndexOf(voters.Split(','), id.ToString(CultureInfo.InvariantCulture)) >= 0)
            {
                return string.Create(CultureInfo.InvariantCulture, $"{outcome}; a voter again after {clock.Elapsed.TotalSeconds:F1} s");
            }

            await Task.Delay(250).ConfigureAwait(false);
        }

        return $"{outcome}; not yet a voter after {MembershipLimit.TotalSeconds} s";
    }

    private string Names(IEnumerable<int> slots)
    {
        var names = new List<string>();
        foreach (int slot in slots)
        {
            names.Add(_cluster.Nodes[slot].Name);
        }

        return names.Count == 0 ? "(no node free)" : string.Join(' ', names);
    }

    private TimeSpan Jitter(TimeSpan mean) => mean * (0.5 + _random.NextDouble());

    private static string Seconds(double milliseconds) => (milliseconds / 1000).ToString("F1", CultureInfo.InvariantCulture) + " s";
}
