using System.Diagnostics;
using Lattice.Testing.Chaos;

namespace Lattice.Server.Tests.Chaos;

/// <summary>
/// The CI schedule of the chaos harness (issue: Jepsen-style fault testing): short runs of real 5-node clusters
/// under mixed faults must be valid, and each unsafe mode of the node must be caught. Long runs: `./lattice chaos`.
/// </summary>
[Collection(ServerCollections.Heavy)]
public sealed class ChaosRunTests
{
    [Fact]
    public async Task Mixed_faults_against_every_workload_leave_a_valid_history()
    {
        using var directory = new TempDirectory("lattice-chaos");
        ChaosOptions options = Options(directory.Path, TimeSpan.FromSeconds(45), ChaosNemesisKinds.All, ChaosWorkloadKinds.All);
        ChaosResult result = await RunAsync(options);

        Assert.True(result.IsValid, Describe(result));
        Assert.Equal("verdict: valid", result.VerdictLine);
        Assert.True(result.Faults.Count >= 3, Describe(result));
        foreach (string workload in new[] { "register", "counter", "set", "append" })
        {
            Assert.True(result.OperationCounts[workload].Ok > 100, $"{workload}: {result.OperationCounts[workload]}\n{Describe(result)}");
        }

        Assert.True(File.Exists(Path.Combine(result.RunDirectory, "plot.svg")));
        Assert.Contains("verdict: valid", await File.ReadAllTextAsync(Path.Combine(result.RunDirectory, "report.md")), StringComparison.Ordinal);
        string[] history = await File.ReadAllLinesAsync(Path.Combine(result.RunDirectory, "history-register.jsonl"));
        Assert.True(history.Length > 200);
        Assert.StartsWith("{", history[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Strong_reads_served_without_read_index_are_caught()
    {
        using var directory = new TempDirectory("lattice-chaos");
        ChaosOptions options = Options(directory.Path, TimeSpan.FromSeconds(30), ChaosNemesisKinds.Partition, ChaosWorkloadKinds.Register | ChaosWorkloadKinds.Append);
        options.UnsafeMode = "stale-reads";
        ChaosResult result = await RunAsync(options);

        Assert.False(result.IsValid, Describe(result));
        Assert.StartsWith("verdict: invalid (", result.VerdictLine, StringComparison.Ordinal);
        Assert.Contains("--unsafe stale-reads", result.VerdictLine, StringComparison.Ordinal);
        Assert.Empty(result.Problems);
    }

    [Fact]
    public async Task Writes_acknowledged_before_majority_commit_are_caught()
    {
        using var directory = new TempDirectory("lattice-chaos");
        // Every workload: an early acknowledgement is lost only if its partition cuts the leader off while writes
        // reach it, and each workload sees such a loss its own way (a set add, a counter bound, a list append).
        ChaosOptions options = Options(directory.Path, TimeSpan.FromSeconds(30), ChaosNemesisKinds.Partition, ChaosWorkloadKinds.All);
        options.UnsafeMode = "early-ack";
        ChaosResult result = await RunAsync(options);

        Assert.False(result.IsValid, Describe(result));
        Assert.Contains("--unsafe early-ack", result.VerdictLine, StringComparison.Ordinal);
        Assert.Empty(result.Problems);
    }

    [Fact]
    public async Task Without_namespaces_partitions_go_through_the_fault_seam_and_the_report_says_so()
    {
        using var directory = new TempDirectory("lattice-chaos");
        ChaosOptions options = Options(directory.Path, TimeSpan.FromSeconds(20), ChaosNemesisKinds.Partition | ChaosNemesisKinds.Clock, ChaosWorkloadKinds.Register);
        options.Nodes = 3;
        options.ForceFaultSeam = true;
        ChaosResult result = await RunAsync(options);

        Assert.True(result.IsValid, Describe(result));
        Assert.Contains("fault seam", result.NetworkDescription, StringComparison.Ordinal);
        Assert.Contains("fault seam", await File.ReadAllTextAsync(Path.Combine(result.RunDirectory, "report.md")), StringComparison.Ordinal);
        Assert.Contains(result.Faults, fault => fault.Kind == "partition");
    }

    [Fact]
    public async Task The_cli_prints_the_verdict_as_its_last_line_and_exits_by_it()
    {
        using var directory = new TempDirectory("lattice-chaos");
        (int exitCode, string output, string errors) = await RunCliAsync(
            "chaos", "--time", "8", "--nodes", "3", "--nemesis", "kill", "--workload", "counter,set", "--out", directory.Path);
        Assert.True(exitCode == 0, output + errors);
        Assert.Equal("verdict: valid", output.TrimEnd().Split('\n')[^1].TrimEnd());

        (int badExit, _, string badErrors) = await RunCliAsync("chaos", "--nodes", "2", "--out", directory.Path);
        Assert.Equal(2, badExit);
        Assert.Contains("--nodes must be 3..9", badErrors, StringComparison.Ordinal);
        (badExit, _, badErrors) = await RunCliAsync("chaos", "--nemesis", "lightning", "--out", directory.Path);
        Assert.Equal(2, badExit);
        Assert.Contains("--nemesis takes", badErrors, StringComparison.Ordinal);
    }

    private static ChaosOptions Options(string directory, TimeSpan duration, ChaosNemesisKinds nemeses, ChaosWorkloadKinds workloads) => new()
    {
        Duration = duration,
        Nemeses = nemeses,
        Workloads = workloads,
        OutputDirectory = directory,
        NodeExecutable = ServerProcess.DotnetHost(),
        NodeExecutableArguments = [ServerProcess.LatticeDll],
        QuietTime = TimeSpan.FromSeconds(2),
        FaultTime = TimeSpan.FromSeconds(5),
        Seed = (ulong)Environment.TickCount64,
    };

    private static async Task<ChaosResult> RunAsync(ChaosOptions options)
    {
        using var output = new StringWriter();
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        return await ChaosRunner.RunAsync(options, output, limit.Token);
    }

    /// <summary>The whole report (seed, command to reproduce, faults, anomalies): the run's folder is deleted after the test.</summary>
    private static string Describe(ChaosResult result)
    {
        string report = Path.Combine(result.RunDirectory, "report.md");
        return File.Exists(report) ? File.ReadAllText(report) : $"{result.VerdictLine}\nproblems: {string.Join("; ", result.Problems)}";
    }

    private static async Task<(int ExitCode, string Output, string Errors)> RunCliAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo(ServerProcess.DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(ServerProcess.LatticeDll);
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await output, await error);
    }
}
