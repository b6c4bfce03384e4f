using System.Diagnostics;
using Xunit.Abstractions;
using static Lattice.Storage.Tests.LogTestKit;

namespace Lattice.Storage.Tests;

/// <summary>Reports what a durable group commit costs on this disk. A measurement, not an assertion.</summary>
public sealed class FsyncLatencyMeasurement(ITestOutputHelper output)
{
    [Fact]
    public void Measure_flush_latency()
    {
        const int Rounds = 300;
        using var dir = new TempDirectory();
        using WriteAheadLog wal = Open(dir.Path);
        byte[] payload = new byte[100];
        long index = 0;
        double[] synced = MeasureRounds(wal, payload, ref index, Rounds, sync: true);
        double[] unsynced = MeasureRounds(wal, payload, ref index, Rounds, sync: false);
        double[] batched = MeasureRounds(wal, payload, ref index, Rounds, sync: true, recordsPerFlush: 100);
        output.WriteLine($"Flush(true)  one 133-byte record: median {Percentile(synced, 0.5):F3} ms, p99 {Percentile(synced, 0.99):F3} ms");
        output.WriteLine($"Flush(false) one 133-byte record: median {Percentile(unsynced, 0.5):F3} ms, p99 {Percentile(unsynced, 0.99):F3} ms");
        output.WriteLine($"Flush(true)  100 records (13.3 KB): median {Percentile(batched, 0.5):F3} ms, p99 {Percentile(batched, 0.99):F3} ms");
        Assert.Equal(Rounds, synced.Length);
    }

    private static double[] MeasureRounds(WriteAheadLog wal, byte[] payload, ref long index, int rounds, bool sync, int recordsPerFlush = 1)
    {
        var samples = new double[rounds];
        for (int i = 0; i < rounds; i++)
        {
            for (int r = 0; r < recordsPerFlush; r++)
            {
                wal.Append(1, ++index, 1, payload);
            }

            long start = Stopwatch.GetTimestamp();
            wal.Flush(sync);
            samples[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }

        Array.Sort(samples);
        return samples;
    }

    private static double Percentile(double[] sorted, double fraction) => sorted[(int)Math.Min(sorted.Length - 1, fraction * sorted.Length)];
}
