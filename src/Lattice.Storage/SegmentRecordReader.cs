using System.Buffers;
using Lattice.Common;
using Microsoft.Win32.SafeHandles;

namespace Lattice.Storage;

/// <summary>
/// Reads records one after another from a byte range of a segment through a pooled window, checking each record's
/// type, length bound, extent and checksum. Used by recovery and, again, by replay (checked on write and on read).
/// </summary>
internal sealed class SegmentRecordReader : IDisposable
{
    private const int WindowBytesInitial = 1 << 20;

    private readonly SafeFileHandle _file;
    private readonly long _endOffset;
    private readonly int _maxRecordBytes;
    private byte[] _window;
    private long _windowOffset;
    private int _filled;
    private int _position;

    public SegmentRecordReader(SafeFileHandle file, long startOffset, long endOffset, int maxRecordBytes)
    {
        Invariant.Check(startOffset >= 0 && startOffset <= endOffset, "the read range is well formed");
        Invariant.Check(maxRecordBytes > RecordFormat.HeaderBytes, "the record limit exceeds the header size");
        _file = file;
        _endOffset = endOffset;
        _maxRecordBytes = maxRecordBytes;
        _windowOffset = startOffset;
        _window = ArrayPool<byte>.Shared.Rent(WindowBytesInitial);
    }

    /// <summary>File offset of the next record to read (after a Bad result, of the bad record).</summary>
    public long Offset => _windowOffset + _position;

    /// <summary>Why the last read returned <see cref="RecordReadStatus.Bad"/>.</summary>
    public string Problem { get; private set; } = string.Empty;

    /// <summary>Reads the next record; the payload span is valid until the next call.</summary>
    public RecordReadStatus TryReadNext(out RecordHeader header, out ReadOnlySpan<byte> payload)
    {
        header = default;
        payload = default;
        long remaining = _endOffset - Offset;
        if (remaining == 0)
        {
            return RecordReadStatus.End;
        }

        if (remaining < RecordFormat.HeaderBytes)
        {
            return Bad($"incomplete record header ({remaining} of {RecordFormat.HeaderBytes} bytes before the end of the file)");
        }

        Fill(RecordFormat.HeaderBytes);
        byte type = RecordFormat.PeekType(_window.AsSpan(_position, RecordFormat.HeaderBytes));
        header = RecordFormat.ReadHeader(_window.AsSpan(_position, RecordFormat.HeaderBytes));
        if (!RecordFormat.IsKnownType(type))
        {
            return Bad($"unknown record type {type}");
        }

        if (header.TotalBytes > _maxRecordBytes)
        {
            return Bad($"record length {header.TotalBytes} exceeds the limit of {_maxRecordBytes} bytes");
        }

        if (header.TotalBytes > remaining)
        {
            return Bad($"record declares {header.TotalBytes} bytes but only {remaining} remain before the end of the file");
        }

        int total = (int)header.TotalBytes;
        Fill(total);
        ReadOnlySpan<byte> record = _window.AsSpan(_position, total);
        uint computed = RecordFormat.ComputeCrc(record, record[RecordFormat.HeaderBytes..]);
        if (computed != header.Crc)
        {
            return Bad($"record checksum mismatch (stored 0x{header.Crc:x8}, computed 0x{computed:x8})");
        }

        payload = record[RecordFormat.HeaderBytes..];
        _position += total;
        return RecordReadStatus.Record;
    }

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_window);
        _window = [];
    }

    private RecordReadStatus Bad(string problem)
    {
        Problem = problem;
        return RecordReadStatus.Bad;
    }

    /// <summary>Makes at least <paramref name="count"/> unread bytes available in the window.</summary>
    private void Fill(int count)
    {
        Invariant.Check(count <= _endOffset - Offset, "fill stays inside the read range");
        if (_filled - _position >= count)
        {
            return;
        }

        if (_position + count > _window.Length)
        {
            ShiftAndGrow(count);
        }

        while (_filled - _position < count)
        {
            long fileOffset = _windowOffset + _filled;
            int wanted = (int)Math.Min(_window.Length - _filled, _endOffset - fileOffset);
            int read = RandomAccess.Read(_file, _window.AsSpan(_filled, wanted), fileOffset);
            if (read == 0)
            {
                throw new IOException($"segment file shrank while being read (expected data at offset {fileOffset})");
            }

            _filled += read;
        }
    }

    private void ShiftAndGrow(int count)
    {
        int unread = _filled - _position;
        byte[] target = count > _window.Length ? ArrayPool<byte>.Shared.Rent(count) : _window;
        _window.AsSpan(_position, unread).CopyTo(target);
        if (!ReferenceEquals(target, _window))
        {
            ArrayPool<byte>.Shared.Return(_window);
            _window = target;
        }

        _windowOffset += _position;
        _filled = unread;
        _position = 0;
    }
}
