using System.Buffers;
using System.Buffers.Text;
using Lattice.Common;

namespace Lattice.Bench.Drivers;

/// <summary>
/// Builds RESP multibulk requests into one pooled buffer that is reused for every batch (it only grows), so
/// writing a command allocates nothing.
/// </summary>
public sealed class RespCommandWriter : IDisposable
{
    private byte[] _buffer;

    public RespCommandWriter(int initialBytes = 16 * 1024)
    {
        _buffer = ArrayPool<byte>.Shared.Rent(initialBytes);
    }

    public int Length { get; private set; }

    public ReadOnlyMemory<byte> Written => _buffer.AsMemory(0, Length);

    public void Reset() => Length = 0;

    public void BeginCommand(int argumentCount) => WriteHeader((byte)'*', argumentCount);

    public void Argument(ReadOnlySpan<byte> value)
    {
        WriteHeader((byte)'$', value.Length);
        Ensure(value.Length + 2);
        value.CopyTo(_buffer.AsSpan(Length));
        Length += value.Length;
        _buffer[Length++] = (byte)'\r';
        _buffer[Length++] = (byte)'\n';
    }

    public void Argument(long value)
    {
        Span<byte> digits = stackalloc byte[20];
        bool written = Utf8Formatter.TryFormat(value, digits, out int length);
        Invariant.Check(written, "integer argument too long");
        Argument(digits[..length]);
    }

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
    }

    private void WriteHeader(byte kind, long number)
    {
        Ensure(24);
        _buffer[Length++] = kind;
        bool written = Utf8Formatter.TryFormat(number, _buffer.AsSpan(Length), out int length);
        Invariant.Check(written, "header number too long");
        Length += length;
        _buffer[Length++] = (byte)'\r';
        _buffer[Length++] = (byte)'\n';
    }

    private void Ensure(int more)
    {
        if (Length + more <= _buffer.Length)
        {
            return;
        }

        byte[] larger = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, Length + more));
        _buffer.AsSpan(0, Length).CopyTo(larger);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = larger;
    }
}
