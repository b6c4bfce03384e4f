using System.Runtime.InteropServices;

namespace Lattice.Testing.Chaos;

/// <summary>libc calls .NET does not offer: signals other than SIGKILL, and joining a network namespace.</summary>
internal static class ChaosNative
{
    public const int SigKill = 9;
    public const int SigTerm = 15;
    public const int SigCont = 18;
    public const int SigStop = 19;

    /// <summary>CLONE_NEWNET: setns joins the network namespace behind the descriptor.</summary>
    public const int NewNetworkNamespace = 0x40000000;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    public static extern int Kill(int pid, int signal);

    [DllImport("libc", EntryPoint = "setns", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    public static extern int SetNamespace(int fd, int namespaceType);
}
