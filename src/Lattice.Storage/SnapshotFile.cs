using Lattice.Common;

namespace Lattice.Storage;

/// <summary>
/// Snapshot files <c>snapshot-&lt;index 20 digits&gt;.snap</c> in one directory. Written through a temporary file,
/// fsynced, renamed into place, directory fsynced; verified in full (header, trailer, payload CRC) before any byte
/// of payload is handed to a reader.
/// </summary>
public static class SnapshotFile
{
    /// <summary>Snapshots considered by <see cref="FindNewest"/>; normally there are two.</summary>
    private const int CandidateCountMax = 10_000;
    private const int FileBufferBytes = 1 << 20;
    private const int PayloadBlockBytes = 64 * 1024;

    /// <summary>
    /// Writes a snapshot at <paramref name="index"/>/<paramref name="term"/>, streaming the payload through a CRC.
    /// Once it is durable, deletes older snapshots except the newest of them (a fallback if this one is damaged).
    /// </summary>
    public static SnapshotInfo Write(string directory, long index, long term, Action<Stream> writePayload)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfNegative(term);
        ArgumentNullException.ThrowIfNull(writePayload);
        Directory.CreateDirectory(directory);
        string finalPath = Path.Combine(directory, SnapshotFormat.FileName(index));
        string temporaryPath = finalPath + SnapshotFormat.TemporarySuffix;
        long payloadBytes;
        try
        {
            payloadBytes = WriteTemporary(temporaryPath, index, term, writePayload);
            File.Move(temporaryPath, finalPath, overwrite: true);
            DirectorySync.Flush(directory);
        }
        catch
        {
            File.Delete(temporaryPath);
            throw;
        }

        DeleteSuperseded(directory, index);
        return new SnapshotInfo(finalPath, index, term, payloadBytes);
    }

    /// <summary>
    /// The newest snapshot that verifies completely; damaged ones are skipped (and reported through
    /// <paramref name="log"/>), never deleted. Null when there is none.
    /// </summary>
    public static SnapshotInfo? FindNewest(string directory, Action<string>? log = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        if (!Directory.Exists(directory))
        {
            return null;
        }

        List<(long Index, string Path)> candidates = ListSnapshots(directory);
        candidates.Sort((a, b) => b.Index.CompareTo(a.Index));
        foreach ((long index, string path) in candidates)
        {
            try
            {
                return Verify(path, index);
            }
            catch (CorruptSnapshotException e)
            {
                log?.Invoke($"snapshot: skipping damaged {path}: {e.Message}");
            }
        }

        return null;
    }

    /// <summary>
    /// Verifies the file completely, then streams the payload to <paramref name="readPayload"/>, checking the CRC
    /// again as it goes (bytes the reader leaves unread are drained and checked too).
    /// </summary>
    /// <exception cref="CorruptSnapshotException">The file is damaged; names the file and the offset.</exception>
    public static void Read(SnapshotInfo snapshot, Action<Stream> readPayload)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(readPayload);
        SnapshotInfo verified = Verify(snapshot.Path, snapshot.Index);
        if (verified.Term != snapshot.Term)
        {
            throw new IOException($"snapshot {snapshot.Path} was replaced since it was found (term {snapshot.Term}, now {verified.Term})");
        }

        using var file = new FileStream(snapshot.Path, FileMode.Open, FileAccess.Read, FileShare.Read, FileBufferBytes);
        file.Position = SnapshotFormat.HeaderBytes;
        uint expectedCrc = ReadTrailerCrc(file, snapshot.Path);
        file.Position = SnapshotFormat.HeaderBytes;
        using var payload = new ChecksumReadStream(file, snapshot.Path, verified.PayloadBytes, expectedCrc);
        // As when writing: readers take field by field, so the checksum sees large blocks (read ahead within the payload).
        using (var blocks = new BufferedStream(payload, PayloadBlockBytes))
        {
            readPayload(blocks);
        }

        payload.DrainAndVerify();
    }

    /// <summary>Checks header, trailer, length and payload CRC of one file.</summary>
    /// <exception cref="CorruptSnapshotException">Anything is wrong; names the file and the offset.</exception>
    public static SnapshotInfo Verify(string path, long expectedIndex)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileBufferBytes);
        long length = file.Length;
        if (length < SnapshotFormat.HeaderBytes + SnapshotFormat.TrailerBytes)
        {
            throw new CorruptSnapshotException(path, length, $"file has {length} bytes, too short for a header and trailer");
        }

        Span<byte> header = stackalloc byte[SnapshotFormat.HeaderBytes];
        file.ReadExactly(header);
        string? problem = SnapshotFormat.CheckHeader(header, out long index, out long term);
        if (problem is null && index != expectedIndex)
        {
            problem = $"header says index {index} but the file name says {expectedIndex}";
        }

        if (problem is not null)
        {
            throw new CorruptSnapshotException(path, 0, problem);
        }

        long trailerOffset = length - SnapshotFormat.TrailerBytes;
        file.Position = trailerOffset;
        Span<byte> trailer = stackalloc byte[SnapshotFormat.TrailerBytes];
        file.ReadExactly(trailer);
        problem = SnapshotFormat.CheckTrailer(trailer, out long payloadBytes, out uint payloadCrc);
        if (problem is null && payloadBytes != trailerOffset - SnapshotFormat.HeaderBytes)
        {
            problem = $"trailer says {payloadBytes} payload bytes but the file holds {trailerOffset - SnapshotFormat.HeaderBytes}";
        }

        if (problem is not null)
        {
            throw new CorruptSnapshotException(path, trailerOffset, problem);
        }

        VerifyPayload(file, path, payloadBytes, payloadCrc);
        return new SnapshotInfo(path, index, term, payloadBytes);
    }

    private static long WriteTemporary(string temporaryPath, long index, long term, Action<Stream> writePayload)
    {
        using var file = new FileStream(temporaryPath, FileMode.Create, FileAccess.Write, FileShare.None, FileBufferBytes, FileOptions.None);
        Span<byte> header = stackalloc byte[SnapshotFormat.HeaderBytes];
        SnapshotFormat.WriteHeader(header, index, term);
        file.Write(header);
        long payloadBytes;
        uint payloadCrc;
        using (var payload = new ChecksumWriteStream(file))
        {
            // Payload writers write field by field (a collection's elements one at a time): gather them into large
            // blocks before the checksum and the file see them, instead of a checksum call and a copy per field.
            using (var blocks = new BufferedStream(payload, PayloadBlockBytes))
            {
                writePayload(blocks);
            }

            payloadBytes = payload.BytesWritten;
            payloadCrc = payload.Crc;
        }

        Span<byte> trailer = stackalloc byte[SnapshotFormat.TrailerBytes];
        SnapshotFormat.WriteTrailer(trailer, payloadBytes, payloadCrc);
        file.Write(trailer);
        file.Flush(flushToDisk: true);
        Invariant.Check(file.Length == SnapshotFormat.HeaderBytes + payloadBytes + SnapshotFormat.TrailerBytes, "the snapshot file has its declared size");
        return payloadBytes;
    }

    private static void VerifyPayload(FileStream file, string path, long payloadBytes, uint expectedCrc)
    {
        file.Position = SnapshotFormat.HeaderBytes;
        byte[] buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(FileBufferBytes);
        try
        {
            uint crc = 0;
            long remaining = payloadBytes;
            while (remaining > 0)
            {
                int read = file.Read(buffer, 0, (int)Math.Min(buffer.Length, remaining));
                Invariant.Check(read > 0, "the snapshot file does not shrink while it is verified");
                crc = Crc32C.Append(crc, buffer.AsSpan(0, read));
                remaining -= read;
            }

            if (crc != expectedCrc)
            {
                throw new CorruptSnapshotException(
                    path, SnapshotFormat.HeaderBytes, $"payload checksum mismatch over {payloadBytes} bytes (stored 0x{expectedCrc:x8}, computed 0x{crc:x8})");
            }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static uint ReadTrailerCrc(FileStream file, string path)
    {
        file.Position = file.Length - SnapshotFormat.TrailerBytes;
        Span<byte> trailer = stackalloc byte[SnapshotFormat.TrailerBytes];
        file.ReadExactly(trailer);
        string? problem = SnapshotFormat.CheckTrailer(trailer, out _, out uint payloadCrc);
        if (problem is not null)
        {
            throw new CorruptSnapshotException(path, file.Length - SnapshotFormat.TrailerBytes, problem);
        }

        return payloadCrc;
    }

    private static List<(long Index, string Path)> ListSnapshots(string directory)
    {
        var result = new List<(long Index, string Path)>();
        foreach (string path in Directory.EnumerateFiles(directory, SnapshotFormat.Prefix + "*" + SnapshotFormat.Extension))
        {
            if (SnapshotFormat.TryParseFileName(Path.GetFileName(path), out long index))
            {
                result.Add((index, path));
            }

            if (result.Count > CandidateCountMax)
            {
                throw new IOException($"more than {CandidateCountMax} snapshot files in {directory}");
            }
        }

        return result;
    }

    /// <summary>Keeps the new snapshot and the newest older one; removes the rest and leftover temporary files.</summary>
    private static void DeleteSuperseded(string directory, long newestIndex)
    {
        List<(long Index, string Path)> snapshots = ListSnapshots(directory);
        long previousIndex = -1;
        foreach ((long index, _) in snapshots)
        {
            if (index < newestIndex)
            {
                previousIndex = Math.Max(previousIndex, index);
            }
        }

        bool deleted = false;
        foreach ((long index, string path) in snapshots)
        {
            if (index < previousIndex)
            {
                File.Delete(path);
                deleted = true;
            }
        }

        foreach (string stale in Directory.EnumerateFiles(directory, "*" + SnapshotFormat.Extension + SnapshotFormat.TemporarySuffix))
        {
            File.Delete(stale);
            deleted = true;
        }

        if (deleted)
        {
            DirectorySync.Flush(directory);
        }
    }
}
