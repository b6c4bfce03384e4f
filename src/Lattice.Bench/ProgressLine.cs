using System.Globalization;

namespace Lattice.Bench;

/// <summary>
/// A live status line (rewritten in place with '\r') showing elapsed time, operations so far and the throughput
/// of the last second. Written to the given writer, which the CLI only passes when stderr is a terminal or
/// --progress asks for it.
/// </summary>
public sealed class ProgressLine(TextWriter output, TimeProvider time)
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    public async Task RunAsync(string label, Func<long> completedOperations, CancellationToken cancellationToken)
    {
        long started = time.GetTimestamp();
        long lastTimestamp = started;
        long lastCount = 0;
        try
        {
            while (true)
            {
                await Task.Delay(Interval, time, cancellationToken).ConfigureAwait(false);
                long now = time.GetTimestamp();
                long count = completedOperations();
                double seconds = time.GetElapsedTime(lastTimestamp, now).TotalSeconds;
                double rate = seconds > 0 ? (count - lastCount) / seconds : 0;
                output.Write(string.Create(
                    CultureInfo.InvariantCulture,
                    $"\r{label} {time.GetElapsedTime(started, now).TotalSeconds,6:F1} s  {count,10} ops  {rate,10:F0} ops/s   "));
                output.Flush();
                lastTimestamp = now;
                lastCount = count;
            }
        }
        catch (OperationCanceledException)
        {
            output.Write('\n');
            output.Flush();
        }
    }
}
