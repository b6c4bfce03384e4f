using System.Buffers.Binary;
using System.Text;
using Lattice.Common;

namespace Lattice.Testing.Simulation;

/// <summary>
/// The replicated register map the simulated clients use: put, compare-and-set, get. Deterministic; its
/// snapshot lists keys in ordinal order so every replica produces the same bytes.
/// </summary>
internal sealed class KvStateMachine
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

    public int Count => _values.Count;

    public string? Get(string key) => _values.TryGetValue(key, out string? value) ? value : null;

    /// <summary>Applies a command; returns whether it took effect and the value a read observed.</summary>
    public (bool Applied, string? Observed) Apply(KvCommand command)
    {
        switch (command.Kind)
        {
            case KvCommandKind.Put:
                Invariant.Check(command.Value is not null, "put needs a value");
                _values[command.Key] = command.Value;
                return (true, command.Value);
            case KvCommandKind.CompareAndSet:
                string? current = Get(command.Key);
                if (!string.Equals(current, command.Expected, StringComparison.Ordinal))
                {
                    return (false, current);
                }

                Invariant.Check(command.Value is not null, "compare-and-set needs a value");
                _values[command.Key] = command.Value;
                return (true, command.Value);
            default:
                return (true, Get(command.Key));
        }
    }

    public byte[] Serialize()
    {
        var keys = new List<string>(_values.Keys);
        keys.Sort(StringComparer.Ordinal);
        using var stream = new MemoryStream();
        Span<byte> count = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(count, keys.Count);
        stream.Write(count);
        foreach (string key in keys)
        {
            WriteString(stream, key);
            WriteString(stream, _values[key]);
        }

        return stream.ToArray();
    }

    public void Restore(ReadOnlySpan<byte> data)
    {
        _values.Clear();
        if (data.IsEmpty)
        {
            return;
        }

        int count = BinaryPrimitives.ReadInt32LittleEndian(data);
        int at = 4;
        for (int i = 0; i < count; i++)
        {
            string key = ReadString(data, ref at);
            _values[key] = ReadString(data, ref at);
        }

        Invariant.Check(at == data.Length, "snapshot has trailing bytes");
    }

    private static void WriteString(MemoryStream stream, string text)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(text);
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(length, bytes.Length);
        stream.Write(length);
        stream.Write(bytes);
    }

    private static string ReadString(ReadOnlySpan<byte> data, ref int at)
    {
        int length = BinaryPrimitives.ReadInt32LittleEndian(data[at..]);
        string text = Encoding.UTF8.GetString(data.Slice(at + 4, length));
        at += 4 + length;
        return text;
    }
}
