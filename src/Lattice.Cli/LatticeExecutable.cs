namespace Lattice.Cli;

/// <summary>How to run this same `lattice` again as a child process: the apphost itself, or `dotnet lattice.dll`.</summary>
internal static class LatticeExecutable
{
    public static string FileName => Environment.ProcessPath ?? "dotnet";

    /// <summary>Arguments that come before the command (the dll, when running through the dotnet host).</summary>
    public static string[] PrefixArguments =>
        Path.GetFileNameWithoutExtension(FileName) == "dotnet" ? [typeof(LatticeExecutable).Assembly.Location] : [];
}
