using Lattice.Raft;
using Lattice.Raft.ConfChange;

namespace Lattice.Raft.Tests;

/// <summary>One node of a <see cref="TestCluster"/> with its durable storage and applied entries.</summary>
internal sealed class TestNode
{
    public TestNode(ulong id, RaftOptions options, ConfState conf)
    {
        Id = id;
        Options = options;
        Storage = new MemoryRaftStorage(conf);
        Conf = conf;
        Raft = new RawNode(options, Storage);
    }

    public ulong Id { get; }

    public RaftOptions Options { get; }

    public MemoryRaftStorage Storage { get; }

    public RawNode Raft { get; private set; }

    public ConfState Conf { get; private set; }

    public List<Entry> Applied { get; } = new();

    public List<ReadState> ReadStates { get; } = new();

    public List<string> AppliedTexts()
    {
        var texts = new List<string>();
        foreach (Entry entry in Applied)
        {
            if (entry.Type == EntryType.Normal && !entry.Data.IsEmpty)
            {
                texts.Add(System.Text.Encoding.UTF8.GetString(entry.Data.Span));
            }
        }

        return texts;
    }

    /// <summary>The persistence contract in its simplest form: persist, send, apply, advance.</summary>
    public void HandleReady(Queue<RaftMessage> network)
    {
        Ready ready = Raft.GetReady();
        foreach (RaftMessage message in ready.MessagesBeforePersist)
        {
            network.Enqueue(Copy(message));
        }

        if (ready.Snapshot is { } snapshot)
        {
            Storage.ApplySnapshot(snapshot);
            Conf = snapshot.Metadata.ConfState;
        }

        Storage.Append(ready.Entries.Span);
        if (ready.HardState is { } hardState)
        {
            Storage.SetHardState(hardState);
        }

        foreach (RaftMessage message in ready.MessagesAfterPersist)
        {
            network.Enqueue(Copy(message));
        }

        foreach (Entry entry in ready.CommittedEntries.Span)
        {
            Applied.Add(entry);
            if (entry.Type == EntryType.ConfChange && ConfChangeRequest.TryDecode(entry.Data.Span, out ConfChangeRequest request))
            {
                Conf = Raft.ApplyConfChange(request);
            }
        }

        ReadStates.AddRange(ready.ReadStates.ToArray());
        Raft.Advance();
    }

    /// <summary>Restarts from what storage holds, as after a crash.</summary>
    public void Restart()
    {
        Applied.Clear();
        Raft = new RawNode(Options with { Applied = 0 }, Storage);
    }

    private static RaftMessage Copy(RaftMessage message)
    {
        message.Entries = message.Entries.ToArray();
        return message;
    }
}
