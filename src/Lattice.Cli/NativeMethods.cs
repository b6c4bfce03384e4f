using System.Runtime.InteropServices;

namespace Lattice.Cli;

/// <summary>libc calls .NET does not offer: sending SIGTERM (a clean stop) to a child node.</summary>
internal static class NativeMethods
{
    public const int SigTerm = 15;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    public static extern int Kill(int pid, int signal);
}
