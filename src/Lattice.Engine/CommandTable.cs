using System.Text;
using Lattice.Common;

namespace Lattice.Engine;

/// <summary>
/// Commands by name, looked up case-insensitively from request bytes without allocating. Every write is looked up
/// twice (when the session reads it and when it is applied), so the lookup is one pass over the name to hash it
/// with ASCII letters folded, then a probe of a sparse open-addressed array with a case-insensitive compare.
/// </summary>
public sealed class CommandTable
{
    private const int NameBytesMax = 32;

    // Far more slots than commands (a few hundred), so probes stay short; Add refuses to fill more than half.
    private const int SlotCount = 1024;
    private readonly CommandSpec?[] _slots = new CommandSpec?[SlotCount];
    private readonly byte[][] _upperNames = new byte[SlotCount][];
    private readonly List<CommandSpec> _all = [];

    public IReadOnlyList<CommandSpec> All => _all;

    public void Add(CommandSpec spec)
    {
        Invariant.Check(spec.Name.Length is > 0 and <= NameBytesMax, "command names are short");
        Invariant.Check(spec.Arity != 0, "arity counts the name");
        Invariant.Check(_all.Count < SlotCount / 2, "the command table stays at most half full");
        byte[] upper = Encoding.ASCII.GetBytes(spec.Name.ToUpperInvariant());
        Invariant.Check(Find(upper) is null, $"command {spec.Name} registered once");
        int slot = (int)(FoldedHash(upper) & (SlotCount - 1));
        while (_slots[slot] is not null)
        {
            slot = (slot + 1) & (SlotCount - 1);
        }

        _slots[slot] = spec;
        _upperNames[slot] = upper;
        _all.Add(spec);
    }

    public CommandSpec? Find(ReadOnlySpan<byte> name)
    {
        if (name.Length is 0 or > NameBytesMax)
        {
            return null;
        }

        int slot = (int)(FoldedHash(name) & (SlotCount - 1));
        while (_slots[slot] is { } spec)
        {
            if (Ascii.EqualsIgnoreCase(name, _upperNames[slot]))
            {
                return spec;
            }

            slot = (slot + 1) & (SlotCount - 1);
        }

        return null;
    }

    /// <summary>FNV-1a over the bytes with bit 5 set, so "set", "SET" and "Set" hash alike (the compare is exact).</summary>
    private static uint FoldedHash(ReadOnlySpan<byte> name)
    {
        uint hash = 2166136261;
        foreach (byte b in name)
        {
            hash = (hash ^ (uint)(b | 0x20)) * 16777619;
        }

        return hash;
    }
}
