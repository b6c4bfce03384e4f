using System.Runtime.InteropServices;
using Lattice.Common;
using Microsoft.Win32.SafeHandles;

namespace Lattice.Storage;

/// <summary>
/// The active segment mapped into memory (Linux), so a flush copies its records into the page cache instead of
/// making a write call: on a single node without fsync per write that call was about a tenth of the server's CPU
/// per request (docs/performance.md). Records are copied only over zeros the log has already written with a write
/// call, so every mapped page has its disk blocks (a full disk fails that write call with an error; it can never
/// fault a store to a page without blocks). The bytes are the file's page cache, so they survive a process kill
/// like written bytes and are made durable by the same fdatasync.
/// </summary>
internal sealed unsafe class SegmentMapping : IDisposable
{
    private const int ProtectReadWrite = 0x1 | 0x2;
    private const int MapShared = 0x01;

    private byte* _base;

    private SegmentMapping(byte* address, long length)
    {
        _base = address;
        Length = length;
    }

    public long Length { get; }

    /// <summary>Maps the first <paramref name="length"/> bytes of the file, or null where mapping is not used or fails.</summary>
    public static SegmentMapping? TryMap(SafeFileHandle file, long length)
    {
        if (!OperatingSystem.IsLinux() || length <= 0)
        {
            return null;
        }

        bool added = false;
        try
        {
            file.DangerousAddRef(ref added);
            void* address = Mmap(null, (nuint)length, ProtectReadWrite, MapShared, (int)file.DangerousGetHandle(), 0);
            return address == (void*)-1 ? null : new SegmentMapping((byte*)address, length);
        }
        finally
        {
            if (added)
            {
                file.DangerousRelease();
            }
        }
    }

    /// <summary>Copies <paramref name="bytes"/> to <paramref name="offset"/>; the caller keeps it inside the zeroed part of the file.</summary>
    public void Write(long offset, ReadOnlySpan<byte> bytes)
    {
        Invariant.Check(_base is not null, "a segment is written through its mapping only while mapped");
        Invariant.Check(offset >= 0 && offset + bytes.Length <= Length, "a mapped write stays inside the mapping");
        bytes.CopyTo(new Span<byte>(_base + offset, bytes.Length));
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
