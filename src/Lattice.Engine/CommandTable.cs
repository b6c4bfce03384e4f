using System.Text;
using Lattice.Common;

namespace Lattice.Engine;

/// <summary>Commands by name, looked up case-insensitively from request bytes without allocating.</summary>
public sealed class CommandTable
{
    private const int NameBytesMax = 32;
    private readonly ByteTable<CommandSpec> _byUpperName = new();
    private readonly List<CommandSpec> _all = [];

    public IReadOnlyList<CommandSpec> All => _all;

    public void Add(CommandSpec spec)
    {
        Invariant.Check(spec.Name.Length is > 0 and <= NameBytesMax, "command names are short");
        Invariant.Check(spec.Arity != 0, "arity counts the name");
        byte[] upper = Encoding.ASCII.GetBytes(spec.Name.ToUpperInvariant());
        ref CommandSpec slot = ref _byUpperName.GetValueRefOrAddDefault(upper, out bool exists);
        Invariant.Check(!exists, $"command {spec.Name} registered once");
        slot = spec;
        _all.Add(spec);
    }

    public CommandSpec? Find(ReadOnlySpan<byte> name)
    {
        Span<byte> upper = stackalloc byte[NameBytesMax];
        if (name.Length > NameBytesMax || Ascii.ToUpper(name, upper, out int written) != System.Buffers.OperationStatus.Done)
        {
            return null;
        }

        return _byUpperName.TryGetValue(upper[..written], out CommandSpec spec) ? spec : null;
    }
}
