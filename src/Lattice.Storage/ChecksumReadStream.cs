using Lattice.Common;

namespace Lattice.Storage;

/// <summary>
/// A read-only view of a snapshot's payload that stops at the payload's end and checks its CRC32C again as the
/// reader consumes it (the file was verified before, so a mismatch means it changed underneath).
/// </summary>
internal sealed class ChecksumReadStream : Stream
{
    private readonly Stream _inner;
    private readonly string _path;
    private readonly long _payloadBytes;
    private readonly uint _expectedCrc;
    private uint _crc;
    private long _consumed;

    public ChecksumReadStream(Stream inner, string path, long payloadBytes, uint expectedCrc)
    {
        Invariant.Check(inner.CanRead && payloadBytes >= 0, "the payload view is well formed");
        _inner = inner;
        _path = path;
        _payloadBytes = payloadBytes;
        _expectedCrc = expectedCrc;
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => _payloadBytes;

    public override long Position
    {
        get => _consumed;
        set => throw new NotSupportedException();
    }

    public override int Read(Span<byte> buffer)
    {
        long remaining = _payloadBytes - _consumed;
        if (remaining == 0 || buffer.IsEmpty)
        {
            return 0;
        }

        int read = _inner.Read(buffer[..(int)Math.Min(buffer.Length, remaining)]);
        if (read == 0)
        {
            throw new CorruptSnapshotException(_path, SnapshotFormat.HeaderBytes + _consumed, "the payload ended early while reading");
        }

        _crc = Crc32C.Append(_crc, buffer[..read]);
        _consumed += read;
        if (_consumed == _payloadBytes)
        {
            CheckCrc();
        }

        return read;
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int ReadByte()
    {
        Span<byte> one = stackalloc byte[1];
        return Read(one) == 0 ? -1 : one[0];
    }

    /// <summary>Reads whatever the consumer left unread, so the whole payload's checksum is checked.</summary>
    public void DrainAndVerify()
    {
        Span<byte> scratch = stackalloc byte[4096];
        while (Read(scratch) > 0)
        {
        }

        Invariant.Check(_consumed == _payloadBytes, "the whole payload was read");
        CheckCrc();
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private void CheckCrc()
    {
        if (_crc != _expectedCrc)
        {
            throw new CorruptSnapshotException(
                _path, SnapshotFormat.HeaderBytes, $"payload checksum mismatch while reading (stored 0x{_expectedCrc:x8}, computed 0x{_crc:x8}); the file changed after verification");
        }
    }
}
