using System.Runtime.InteropServices;

namespace Lattice.Server.Network;

/// <summary>
/// The libc calls of the client event loops (Linux). An <c>epoll_event</c> is 12 bytes on x86-64 (packed) and 16
/// elsewhere (the data aligned to 8), so events are read and written through <see cref="EventBytes"/> and
/// <see cref="DataOffset"/> instead of a struct whose layout would be right on one architecture only.
/// </summary>
internal static class EventLoopNative
{
    public const int EpollCtlAdd = 1;
    public const int EpollCtlDel = 2;
    public const int EpollCtlMod = 3;
    public const uint EpollIn = 0x001;
    public const uint EpollOut = 0x004;
    public const uint EpollErr = 0x008;
    public const uint EpollHup = 0x010;
    public const uint EpollRdHup = 0x2000;
    public const int CloseOnExec = 0x80000;
    public const int NonBlocking = 0x800;
    public const int SendNoSignal = 0x4000;
    public const int WouldBlock = 11;
    public const int Interrupted = 4;

    public static readonly int EventBytes = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 12 : 16;

    public static readonly int DataOffset = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 4 : 8;

    /// <summary>Whether this platform has the calls (the loops are used only there; elsewhere Kestrel serves clients).</summary>
    public static bool IsSupported => OperatingSystem.IsLinux();

    [DllImport("libc", EntryPoint = "epoll_create1", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    public static extern int EpollCreate(int flags);

    [DllImport("libc", EntryPoint = "epoll_ctl", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int EpollControl(int epoll, int operation, int fd, ref byte registration);

    [DllImport("libc", EntryPoint = "epoll_wait", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    public static extern int EpollWait(int epoll, ref byte events, int maxEvents, int timeoutMs);

    [DllImport("libc", EntryPoint = "eventfd", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    public static extern int EventFd(uint initial, int flags);

    [DllImport("libc", EntryPoint = "read", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    public static extern nint Read(int fd, ref byte buffer, nint length);

    [DllImport("libc", EntryPoint = "write", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    public static extern nint Write(int fd, ref byte buffer, nint length);

    [DllImport("libc", EntryPoint = "recv", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    public static extern nint Receive(nint fd, ref byte buffer, nint length, int flags);

    [DllImport("libc", EntryPoint = "send", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    public static extern nint Send(nint fd, ref byte buffer, nint length, int flags);

    [DllImport("libc", EntryPoint = "accept4", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    public static extern int Accept(nint fd, nint address, nint addressLength, int flags);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    public static extern int Close(int fd);

    /// <summary>Adds, changes or removes a descriptor's registration; returns errno (0 on success).</summary>
    public static int Control(int epoll, int operation, nint fd, uint events, ulong data)
    {
        Span<byte> registration = stackalloc byte[16];
        registration.Clear();
        MemoryMarshal.Write(registration, in events);
        MemoryMarshal.Write(registration[DataOffset..], in data);
        return EpollControl(epoll, operation, (int)fd, ref registration[0]) == 0 ? 0 : Marshal.GetLastPInvokeError();
    }
}
