using Lattice.Testing.Simulation;

namespace Lattice.Testing.Tests.Simulation;

public sealed class SimulationCommandTests
{
    private static (int Code, string Output) Run(params string[] args)
    {
        using var output = new StringWriter();
        int code = SimulationCommand.Run(args, output, CancellationToken.None);
        return (code, output.ToString());
    }

    [Fact]
    public void Runs_the_requested_seeds_and_ends_with_the_summary_line()
    {
        (int code, string output) = Run("--seeds", "12", "--nodes", "3", "--seed", "40");
        Assert.Equal(0, code);
        string last = output.TrimEnd().Split('\n')[^1];
        Assert.Matches(@"^seeds: 12, violations: 0, seeds/s: \d+(\.\d+)?$", last);
    }

    [Fact]
    public void Lists_planted_bugs_one_a_line()
    {
        (int code, string output) = Run("--list-plants");
        Assert.Equal(0, code);
        Assert.Equal(PlantedBugNames.All, output.TrimEnd().Split('\n'));
    }

    [Fact]
    public void A_planted_bug_gives_violations_and_a_replayable_report()
    {
        (int code, string output) = Run("--seeds", "40", "--plant", "vote-without-log-check");
        Assert.Equal(1, code);
        Assert.Contains("VIOLATION", output, StringComparison.Ordinal);
        Assert.Contains("replay: --seeds 1 --seed", output, StringComparison.Ordinal);
        Assert.DoesNotContain("violations: 0,", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--seeds", "zero")]
    [InlineData("--nodes", "4")]
    [InlineData("--plant", "no-such-bug")]
    [InlineData("--bogus")]
    [InlineData("--seeds")]
    public void Bad_arguments_exit_with_2_and_a_message(params string[] args)
    {
        (int code, string output) = Run(args);
        Assert.Equal(2, code);
        Assert.Contains("usage:", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_a_seed_count_it_runs_until_cancelled()
    {
        using var output = new StringWriter();
        using var cancel = new CancellationTokenSource();
        cancel.CancelAfter(TimeSpan.FromMilliseconds(300));
        int code = SimulationCommand.Run(["--nodes", "3"], output, cancel.Token);
        Assert.Equal(0, code);
        Assert.StartsWith("seeds: ", output.ToString().TrimEnd().Split('\n')[^1], StringComparison.Ordinal);
    }
}
