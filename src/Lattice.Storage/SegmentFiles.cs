using Lattice.Common;
using Microsoft.Win32.SafeHandles;

namespace Lattice.Storage;

/// <summary>Creating and opening segment files so that a segment either exists whole with its header, or not at all.</summary>
internal static class SegmentFiles
{
    /// <summary>
    /// Writes the initial content (header and any carried-over records) to a temporary file, fsyncs it, renames it
    /// into place and fsyncs the directory: a crash never leaves a segment with a torn header.
    /// </summary>
    public static void CreateDurably(string directory, string fileName, ReadOnlySpan<byte> initialContent)
    {
        Invariant.Check(initialContent.Length >= SegmentHeader.Bytes, "a new segment starts with its header");
        string finalPath = Path.Combine(directory, fileName);
        Invariant.Check(!File.Exists(finalPath), "a new segment does not replace an existing one");
        string temporaryPath = finalPath + SegmentFileName.TemporarySuffix;
        using (SafeFileHandle handle = File.OpenHandle(temporaryPath, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            RandomAccess.Write(handle, initialContent, 0);
            RandomAccess.FlushToDisk(handle);
        }

        File.Move(temporaryPath, finalPath);
        DirectorySync.Flush(directory);
    }

    public static SafeFileHandle OpenForAppend(string path) =>
        File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);

    public static SafeFileHandle OpenForRead(string path) =>
        File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
}
