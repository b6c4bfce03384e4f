using System.Globalization;

namespace Lattice.Server.Tests;

/// <summary>
/// Runs the redis-py scripts in python/ against a server. They need Debian's /usr/bin/python3 with python3-redis:
/// the python3 on PATH may be another build without the module. Each script exits 0 only if all its checks pass.
/// </summary>
[Collection(ServerCollections.Clients)]
public sealed class PythonClientTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private const string Python = "/usr/bin/python3";
    private readonly ServerProcess _server = fixture.Server;

    [Theory]
    [InlineData("test_strings_and_keys.py")]
    [InlineData("test_collections.py")]
    [InlineData("test_pipelines_and_transactions.py")]
    [InlineData("test_watch.py")]
    [InlineData("test_expiry.py")]
    public async Task Redis_py_script_passes(string script)
    {
        await RequireRedisPyAsync();
        string directory = Path.Combine(AppContext.BaseDirectory, "python");
        string path = Path.Combine(directory, script);
        Assert.True(File.Exists(path), $"{path} is missing: the csproj copies python/** to the output directory");

        ToolResult result = await ToolRunner.RunAsync(
            Python,
            [path, _server.Port.ToString(CultureInfo.InvariantCulture)],
            timeout: TimeSpan.FromSeconds(90),
            environment: new Dictionary<string, string> { ["PYTHONDONTWRITEBYTECODE"] = "1", ["PYTHONUNBUFFERED"] = "1" },
            workingDirectory: directory);
        Assert.True(result.ExitCode == 0, $"{script} failed: {result.Describe()}\nserver output:\n{Tail(_server.Output)}");
    }

    private static async Task RequireRedisPyAsync()
    {
        Assert.True(File.Exists(Python), $"{Python} is missing: install python3 and python3-redis (apt-get install -y python3-redis)");
        ToolResult probe = await ToolRunner.RunAsync(Python, ["-c", "import redis; print(redis.__version__)"], timeout: TimeSpan.FromSeconds(30));
        Assert.True(probe.ExitCode == 0, $"{Python} cannot import redis: install python3-redis (apt-get install -y python3-redis)\n{probe.Describe()}");
    }

    private static string Tail(string text) => text.Length <= 4000 ? text : "..." + text[^4000..];
}
