using System.Runtime.InteropServices;

namespace Lattice.Server.Tests;

/// <summary>libc calls the process helpers need and .NET does not offer: sending SIGTERM to a child.</summary>
internal static class NativeMethods
{
    public const int SigInt = 2;

    public const int SigKill = 9;

    public const int SigTerm = 15;

    public const int SigCont = 18;

    public const int SigStop = 19;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    public static extern int Kill(int pid, int signal);
}
