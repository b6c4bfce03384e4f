using Lattice.Common;

namespace Lattice.Storage;

/// <summary>A write-only stream that passes bytes to an inner stream while counting them and computing their CRC32C.</summary>
internal sealed class ChecksumWriteStream : Stream
{
    private readonly Stream _inner;

    public ChecksumWriteStream(Stream inner)
    {
        Invariant.Check(inner.CanWrite, "the inner stream is writable");
        _inner = inner;
    }

    public uint Crc { get; private set; }

    public long BytesWritten { get; private set; }

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => BytesWritten;

    public override long Position
    {
        get => BytesWritten;
        set => throw new NotSupportedException();
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        Crc = Crc32C.Append(Crc, buffer);
        BytesWritten += buffer.Length;
        _inner.Write(buffer);
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void WriteByte(byte value) => Write([value]);

    public override void Flush() => _inner.Flush();

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
