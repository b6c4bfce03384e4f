using System.Runtime.InteropServices;
using Lattice.Common;
using Microsoft.Win32.SafeHandles;

namespace Lattice.Storage;

/// <summary>
/// A window of the active segment mapped into memory (Linux), so a flush copies its records into the page cache
/// instead of making a write call: on a single node without fsync per write that call was about a tenth of the
/// server's CPU per request (docs/performance.md). Records are copied only over zeros the log has already written
/// with a write call, so every mapped page has its disk blocks (a full disk fails that write call with an error; it
/// can never fault a store to a page without blocks). The bytes are the file's page cache, so they survive a process
/// kill like written bytes and are made durable by the same fdatasync. A window, not the whole segment, so the pages
/// the process has mapped (and its resident size) stay small.
/// </summary>
internal sealed unsafe class SegmentMapping : IDisposable
{
    private const int ProtectReadWrite = 0x1 | 0x2;
    private const int MapShared = 0x01;

    private byte* _base;

    private SegmentMapping(byte* address, long offset, long length)
    {
        _base = address;
        Offset = offset;
        Length = length;
    }

    /// <summary>Where the window starts in the file (a multiple of the page size).</summary>
    public long Offset { get; }

    public long Length { get; }

    /// <summary>
    /// Maps <paramref name="length"/> bytes of the file from <paramref name="offset"/> (a multiple of the page size),
    /// or null where mapping is not used or fails.
    /// </summary>
    public static SegmentMapping? TryMap(SafeFileHandle file, long offset, long length)
    {
        Invariant.Check(offset >= 0 && offset % Environment.SystemPageSize == 0, "a mapping starts on a page boundary");
        if (!OperatingSystem.IsLinux() || length <= 0)
        {
            return null;
        }

        bool added = false;
        try
        {
            file.DangerousAddRef(ref added);
            void* address = Mmap(null, (nuint)length, ProtectReadWrite, MapShared, (int)file.DangerousGetHandle(), offset);
            return address == (void*)-1 ? null : new SegmentMapping((byte*)address, offset, length);
        }
        finally
        {
            if (added)
            {
                file.DangerousRelease();
            }
        }
    }

    public bool Covers(long fileOffset, long fileEnd) => fileOffset >= Offset && fileEnd <= Offset + Length;

    /// <summary>Copies <paramref name="bytes"/> to <paramref name="fileOffset"/>; the caller keeps it inside the zeroed part of the file.</summary>
    public void Write(long fileOffset, ReadOnlySpan<byte> bytes)
    {
        Invariant.Check(_base is not null, "a segment is written through its mapping only while mapped");
        Invariant.Check(Covers(fileOffset, fileOffset + bytes.Length), "a mapped write stays inside the window");
        bytes.CopyTo(new Span<byte>(_base + (fileOffset - Offset), bytes.Length));
    }

    public void Dispose()
    {
        if (_base is null)
        {
            return;
        }

        int result = Munmap(_base, (nuint)Length);
        _base = null;
        Invariant.Check(result == 0, $"munmap of a log segment failed (errno {Marshal.GetLastPInvokeError()})");
    }

    [DllImport("libc", EntryPoint = "mmap", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern void* Mmap(void* address, nuint length, int protection, int flags, int descriptor, long offset);

    [DllImport("libc", EntryPoint = "munmap", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Munmap(void* address, nuint length);
}
