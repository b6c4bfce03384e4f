using System.Globalization;
using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace Lattice.Server.Tests;

/// <summary>
/// Damage to the log on disk: a checksum failure in the middle must stop start-up, name the file and offset, and
/// change nothing; a torn tail must be truncated and the node must come up with everything before it.
/// </summary>
[Collection(ServerCollections.Heavy)]
public sealed partial class WalCorruptionTests(ITestOutputHelper output)
{
    private const int Writes = 200;

    [Fact]
    public async Task Flipped_bytes_in_a_middle_record_refuse_start_up_name_file_and_offset_and_touch_nothing()
    {
        using var directory = new TempDirectory("lattice-corrupt");
        await WriteAndStopAsync(directory.Path, "c", Writes);

        IReadOnlyList<string> segments = WalSegmentReader.Segments(directory.Path);
        Assert.True(segments.Count > 0, "no log segment after a clean stop:\n" + WalSegmentReader.Describe(directory.Path));
        string segment = segments[0];
        IReadOnlyList<WalRecord> records = WalSegmentReader.Records(segment);
        Assert.True(
            records.Count >= 20,
            $"the first segment holds only {records.Count} records after {Writes} writes:\n{WalSegmentReader.Describe(directory.Path)}");

        // A record in the middle: whole, checksummed records follow it, so this is not a torn tail.
        WalRecord target = records[records.Count / 2];
        long flipAt = target.PayloadLength >= 3
            ? target.Offset + WalSegmentReader.RecordHeaderBytes + (target.PayloadLength / 2) - 1
            : target.Offset + WalSegmentReader.ChecksummedFrom + 17; // inside the term field
        FlipBytes(segment, flipAt, 3);
        SortedDictionary<string, string> before = DirectoryHasher.HashData(directory.Path);

        await using ServerProcess server = ServerProcess.Launch(new ServerStartOptions { DataDirectory = directory.Path });
        int? exitCode = await server.WaitForExitAsync(TimeSpan.FromSeconds(60));
        string serverOutput = server.Output;
        Assert.True(exitCode is not null, "the server kept running on a log with a checksum failure in the middle; output:\n" + serverOutput);
        Assert.True(exitCode != 0, "start-up on a corrupt log exited 0; output:\n" + serverOutput);
        Assert.True(
            serverOutput.Contains(segment, StringComparison.Ordinal),
            $"the start-up failure does not name the damaged file {segment}; output:\n{serverOutput}");
        long[] offsets = [.. OffsetPattern().Matches(serverOutput).Select(m => long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture))];
        Assert.True(
            offsets.Any(o => o >= target.Offset && o < target.End),
            $"the start-up failure names no offset inside the damaged record [{target.Offset}, {target.End}) (bytes flipped at {flipAt}); output:\n{serverOutput}");
        Assert.Equal(before, DirectoryHasher.HashData(directory.Path));
        output.WriteLine($"flipped 3 bytes at {flipAt} in record [{target.Offset}, {target.End}) of {segment}; exit code {exitCode}; output:\n{serverOutput}");
    }

    [Fact]
    public async Task A_torn_tail_is_truncated_and_every_earlier_write_is_there_after_restart()
    {
        using var directory = new TempDirectory("lattice-torn");
        await WriteAndStopAsync(directory.Path, "t", Writes);

        IReadOnlyList<string> segments = WalSegmentReader.Segments(directory.Path);
        Assert.True(segments.Count > 0, "no log segment after a clean stop:\n" + WalSegmentReader.Describe(directory.Path));
        string segment = segments[^1];
        IReadOnlyList<WalRecord> records = WalSegmentReader.Records(segment);
        Assert.True(records.Count > 0, "the last segment holds no record to tear:\n" + WalSegmentReader.Describe(directory.Path));

        // The log lays down zeros past its last record: cut inside that record, not just the zeros.
        long length = records[^1].End;
        using (var file = new FileStream(segment, FileMode.Open, FileAccess.Write))
        {
            file.SetLength(length - 3);
        }

        await using (ServerProcess server = await ServerProcess.StartAsync(new ServerStartOptions { DataDirectory = directory.Path }))
        {
            output.WriteLine($"cut 3 bytes off {segment} ({length} bytes); restart output:\n{server.Output}");
            Assert.True(
                server.Output.Contains(Path.GetFileName(segment), StringComparison.Ordinal),
                $"start-up did not report truncating the torn tail of {segment}; output:\n{server.Output}");
            using (RespClient client = await server.ConnectAsync())
            {
                for (int i = 0; i < Writes; i++)
                {
                    RespReply value = await client.OkCommandAsync("GET", Key("t", i));
                    if (i == Writes - 1 && value.IsNull)
                    {
                        continue; // the last write may have been the torn record
                    }

                    Assert.True(value.Text == Value(i), $"{Key("t", i)} is {value} after the torn-tail restart; output:\n{server.Output}");
                }

                // The log goes on cleanly after the truncation point.
                await client.OkCommandAsync("SET", "after-tear", "yes");
            }

            Assert.Equal(0, await server.StopAsync());
        }

        await using ServerProcess again = await ServerProcess.StartAsync(new ServerStartOptions { DataDirectory = directory.Path });
        using (RespClient check = await again.ConnectAsync())
        {
            Assert.Equal("yes", (await check.OkCommandAsync("GET", "after-tear")).Text);
            Assert.Equal(Value(0), (await check.OkCommandAsync("GET", Key("t", 0))).Text);
        }

        Assert.Equal(0, await again.StopAsync());
    }

    private static string Key(string prefix, int i) => string.Create(CultureInfo.InvariantCulture, $"{prefix}:k{i}");

    private static string Value(int i) => string.Create(CultureInfo.InvariantCulture, $"value-{i}-{new string('x', i % 17)}");

    private static async Task WriteAndStopAsync(string dataDirectory, string prefix, int writes)
    {
        await using ServerProcess server = await ServerProcess.StartAsync(
            new ServerStartOptions { DataDirectory = dataDirectory, AppendFsync = "always" });
        using (RespClient client = await server.ConnectAsync())
        {
            for (int i = 0; i < writes; i++)
            {
                RespReply reply = await client.OkCommandAsync("SET", Key(prefix, i), Value(i));
                Assert.Equal("OK", reply.Text);
            }
        }

        int code = await server.StopAsync();
        Assert.True(code == 0, $"SIGTERM exit code {code}; output:\n{server.Output}");
    }

    private static void FlipBytes(string path, long offset, int count)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
        var bytes = new byte[count];
        file.Position = offset;
        file.ReadExactly(bytes);
        for (int i = 0; i < count; i++)
        {
            bytes[i] ^= 0xA5;
        }

        file.Position = offset;
        file.Write(bytes);
        file.Flush(flushToDisk: true);
    }

    [GeneratedRegex(@"offset\D{0,3}(\d+)", RegexOptions.IgnoreCase)]
    private static partial Regex OffsetPattern();
}
