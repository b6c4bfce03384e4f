using System.Globalization;
using Lattice.Testing.Chaos;

namespace Lattice.Server.Tests.Chaos;

/// <summary>A chaos run that was killed leaves its network namespaces; the next run removes them, and only them.</summary>
public sealed class AbandonedNamespaceTests
{
    [Fact]
    public async Task Namespaces_whose_owner_is_gone_are_removed_and_those_of_a_running_owner_are_kept()
    {
        using var owners = new TempDirectory("lattice-owners");
        string suffix = Guid.NewGuid().ToString("N")[..6];
        string gone = "lcgone" + suffix;
        string running = "lcrun" + suffix;
        ToolResult finished = await ToolRunner.RunAsync("sh", ["-c", "echo $$"]);
        int finishedPid = int.Parse(finished.StandardOutput.Trim(), CultureInfo.InvariantCulture);
        await File.WriteAllTextAsync(Path.Combine(owners.Path, gone), finishedPid.ToString(CultureInfo.InvariantCulture));
        await File.WriteAllTextAsync(Path.Combine(owners.Path, running), Environment.ProcessId.ToString(CultureInfo.InvariantCulture));

        // Namespaces need root; without it the owner records are still checked.
        bool root = Environment.UserName == "root" && ToolRunner.FindOnPath("ip") is not null;
        if (root)
        {
            Assert.Equal(0, (await ToolRunner.RunAsync("ip", ["netns", "add", gone + "-n1"])).ExitCode);
            Assert.Equal(0, (await ToolRunner.RunAsync("ip", ["netns", "add", running + "-n1"])).ExitCode);
        }

        try
        {
            NamespaceNetwork.RemoveAbandoned(owners.Path);
            Assert.False(File.Exists(Path.Combine(owners.Path, gone)), "the record of a finished owner was kept");
            Assert.True(File.Exists(Path.Combine(owners.Path, running)), "the record of a running owner was removed");
            if (root)
            {
                Assert.False(File.Exists($"/run/netns/{gone}-n1"), "a finished owner's namespace was kept");
                Assert.True(File.Exists($"/run/netns/{running}-n1"), "a running owner's namespace was removed");
            }
        }
        finally
        {
            if (root)
            {
                await ToolRunner.RunAsync("ip", ["netns", "del", gone + "-n1"]);
                await ToolRunner.RunAsync("ip", ["netns", "del", running + "-n1"]);
            }
        }
    }
}
