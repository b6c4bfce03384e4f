using System.Buffers;
using Lattice.Common;
using Microsoft.Win32.SafeHandles;

namespace Lattice.Storage;

/// <summary>
/// After a bad record in the last segment, looks for any valid record further on. Finding one means the damage is
/// in the middle of the log (corruption); finding none means it is a torn tail. Candidates are filtered on the type
/// byte and length before their checksum is computed, so zero or garbage regions are scanned quickly.
/// </summary>
internal static class RecordResync
{
    private const int WindowBytes = 64 * 1024;

    /// <summary>
    /// True when every byte in [from, end) is zero: the space the log laid down ahead of its writes and never used,
    /// not damage (the log writes zeros past its end before it writes records there).
    /// </summary>
    public static bool IsZeroTo(SafeFileHandle file, long from, long end)
    {
        Invariant.Check(from >= 0 && from <= end, "the scan range is well formed");
        byte[] window = ArrayPool<byte>.Shared.Rent(WindowBytes);
        try
        {
            for (long offset = from; offset < end;)
            {
                int filled = ReadUpTo(file, window, offset, end);
                Invariant.Check(filled > 0, "a file reads up to its length");
                if (window.AsSpan(0, filled).IndexOfAnyExcept((byte)0) >= 0)
                {
                    return false;
                }

                offset += filled;
            }

            return true;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(window);
        }
    }

    /// <summary>Offset of the first valid record starting in [from, end), or -1.</summary>
    public static long FindNextValidRecord(SafeFileHandle file, long from, long end, int maxRecordBytes)
    {
        Invariant.Check(from >= 0 && from <= end, "the scan range is well formed");
        byte[] window = ArrayPool<byte>.Shared.Rent(WindowBytes);
        byte[] scratch = ArrayPool<byte>.Shared.Rent(WindowBytes);
        try
        {
            long windowStart = from;
            int filled = 0;
            for (long offset = from; offset + RecordFormat.HeaderBytes <= end; offset++)
            {
                if (offset + RecordFormat.HeaderBytes > windowStart + filled)
                {
                    windowStart = offset;
                    filled = ReadUpTo(file, window, windowStart, end);
                }

                ReadOnlySpan<byte> header = window.AsSpan((int)(offset - windowStart), RecordFormat.HeaderBytes);
                if (IsValidRecordAt(file, offset, end, header, maxRecordBytes, scratch))
                {
                    return offset;
                }
            }

            return -1;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(window);
            ArrayPool<byte>.Shared.Return(scratch);
        }
    }

    private static bool IsValidRecordAt(
        SafeFileHandle file, long offset, long end, ReadOnlySpan<byte> header, int maxRecordBytes, byte[] scratch)
    {
        if (!RecordFormat.IsKnownType(RecordFormat.PeekType(header)))
        {
            return false;
        }

        RecordHeader parsed = RecordFormat.ReadHeader(header);
        if (parsed.TotalBytes > maxRecordBytes || offset + parsed.TotalBytes > end)
        {
            return false;
        }

        uint crc = RecordFormat.ComputeHeaderCrc(header);
        long payloadOffset = offset + RecordFormat.HeaderBytes;
        long payloadEnd = payloadOffset + parsed.PayloadLength;
        while (payloadOffset < payloadEnd)
        {
            int wanted = (int)Math.Min(scratch.Length, payloadEnd - payloadOffset);
            int read = RandomAccess.Read(file, scratch.AsSpan(0, wanted), payloadOffset);
            Invariant.Check(read > 0, "the file does not shrink during recovery");
            crc = Lattice.Common.Crc32C.Append(crc, scratch.AsSpan(0, read));
            payloadOffset += read;
        }

        return crc == parsed.Crc;
    }

    private static int ReadUpTo(SafeFileHandle file, byte[] window, long offset, long end)
    {
        int wanted = (int)Math.Min(window.Length, end - offset);
        int filled = 0;
        while (filled < wanted)
        {
            int read = RandomAccess.Read(file, window.AsSpan(filled, wanted - filled), offset + filled);
            Invariant.Check(read > 0, "the file does not shrink during recovery");
            filled += read;
        }

        return filled;
    }
}
