using System.Diagnostics;

namespace Lattice.Server.Tests;

/// <summary>Runs a helper program to completion with optional stdin bytes, capturing its output; kills it on timeout.</summary>
public static class ToolRunner
{
    public static async Task<ToolResult> RunAsync(
        string fileName,
        IEnumerable<string> arguments,
        byte[]? standardInput = null,
        TimeSpan? timeout = null,
        IReadOnlyDictionary<string, string>? environment = null,
        string? workingDirectory = null)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? AppContext.BaseDirectory,
        };
        foreach (string arg in arguments)
        {
            start.ArgumentList.Add(arg);
        }

        if (environment is not null)
        {
            foreach ((string name, string value) in environment)
            {
                start.Environment[name] = value;
            }
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {fileName}");
        TimeSpan limit = timeout ?? TimeSpan.FromSeconds(60);
        using var cancel = new CancellationTokenSource(limit);
        try
        {
            using var stdout = new MemoryStream();
            Task copyOut = process.StandardOutput.BaseStream.CopyToAsync(stdout, cancel.Token);
            Task<string> readErr = process.StandardError.ReadToEndAsync(cancel.Token);
            try
            {
                if (standardInput is not null)
                {
                    await process.StandardInput.BaseStream.WriteAsync(standardInput, cancel.Token);
                }

                process.StandardInput.Close();
            }
            catch (IOException)
            {
                // The program exited without reading all its input; its exit code and output tell why.
            }

            await process.WaitForExitAsync(cancel.Token);
            await copyOut;
            string stderr = await readErr;
            return new ToolResult(process.ExitCode, stdout.ToArray(), stderr);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            Assert.Fail($"{fileName} {string.Join(' ', start.ArgumentList)} did not finish within {limit}");
            throw;
        }
    }

    /// <summary>The full path of a program on PATH, or null.</summary>
    public static string? FindOnPath(string program)
    {
        string path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        foreach (string directory in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = Path.Combine(directory, program);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
