using Lattice.Bench.Drivers;
using Lattice.Bench.Workloads;
using Lattice.Common;

namespace Lattice.Bench;

/// <summary>
/// One simulated client: picks operations and keys with its own seeded random, sends them in batches of the
/// target's pipeline depth, and records each operation's latency into a per-kind histogram. Counters are written
/// only by this client and read by the progress line, so they need no locks.
/// </summary>
internal sealed class BenchClient
{
    private static readonly TimeSpan ReconnectPause = TimeSpan.FromMilliseconds(100);

    private readonly int _index;
    private readonly BenchSettings _settings;
    private readonly IKeyGenerator _keys;
    private readonly InsertSequence _inserts;
    private readonly TimeProvider _time;
    private readonly OperationBatch _batch;
    private readonly long[] _intended;
    private DeterministicRandom _random;
    private long _completed;
    private long _idealFreeAt;

    public BenchClient(int index, BenchSettings settings, IKeyGenerator keys, InsertSequence inserts, int pipelineDepth, TimeProvider time)
    {
        _index = index;
        _settings = settings;
        _keys = keys;
        _inserts = inserts;
        _time = time;
        _batch = new OperationBatch(pipelineDepth);
        _intended = new long[pipelineDepth];
        _random = new DeterministicRandom(settings.Seed * 1_000_003UL + (ulong)index);
        for (int kind = 0; kind < Histograms.Length; kind++)
        {
            Histograms[kind] = new LatencyHistogram();
        }
    }

    public LatencyHistogram[] Histograms { get; } = new LatencyHistogram[OperationKinds.Count];

    /// <summary>Operations finished so far, warm-up included (for the progress line).</summary>
    public long Completed => Volatile.Read(ref _completed);

    /// <summary>Operations finished inside the measured window.</summary>
    public long Measured { get; private set; }

    public long NotFound { get; private set; }

    public long Conflicts { get; private set; }

    public long Errors { get; private set; }

    /// <summary>Runs until <paramref name="endTimestamp"/> or until <paramref name="operationBudget"/> operations are done.</summary>
    public async Task RunAsync(IBenchTarget target, long startTimestamp, long measureFromTimestamp, long endTimestamp, long operationBudget, CancellationToken cancellationToken)
    {
        IBenchConnection? connection = null;
        try
        {
            double intervalTicks = _settings.OpenLoop ? _settings.Clients * _time.TimestampFrequency / _settings.TargetOpsPerSecond : 0;

            // Clients start staggered over one interval so an open-loop run does not send in bursts.
            double nextIntended = startTimestamp + (intervalTicks * _index / _settings.Clients);
            long issued = 0;
            while (!cancellationToken.IsCancellationRequested && issued < operationBudget && _time.GetTimestamp() < endTimestamp)
            {
                int count = (int)Math.Min(_batch.Capacity, operationBudget - issued);
                FillBatch(count, ref nextIntended, intervalTicks);
                if (_settings.OpenLoop)
                {
                    await WaitUntilAsync(_intended[0], cancellationToken).ConfigureAwait(false);
                }

                connection ??= await target.ConnectAsync(_index, cancellationToken).ConfigureAwait(false);
                long sent = _time.GetTimestamp();
                try
                {
                    await connection.ExecuteAsync(_batch, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or HttpRequestException or InvalidDataException)
                {
                    // A dropped connection fails the batch; reconnect and go on, so one blip does not end the run.
                    Errors += _batch.Count;
                    await connection.DisposeAsync().ConfigureAwait(false);
                    connection = null;
                    await Task.Delay(ReconnectPause, _time, cancellationToken).ConfigureAwait(false);
                    issued += count;
                    continue;
                }

                RecordBatch(sent, measureFromTimestamp);
                issued += count;
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped from outside (Ctrl-C or the run's hard deadline): what was measured so far stands.
        }
        finally
        {
            if (connection is not null)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private void FillBatch(int count, ref double nextIntended, double intervalTicks)
    {
        _batch.Clear();
        WorkloadSpec workload = _settings.Workload;
        for (int i = 0; i < count; i++)
        {
            OperationKind kind = workload.ChooseOperation(_random.NextDouble());
            long record = kind == OperationKind.Insert
                ? _inserts.Reserve()
                : _keys.Next(ref _random, _inserts.RecordCount);
            int scanLength = kind == OperationKind.Scan ? 1 + _random.NextInt(workload.MaxScanLength) : 0;
            _batch.Add(kind, record, scanLength);
            _intended[i] = (long)nextIntended;
            nextIntended += intervalTicks;
        }
    }

    private async ValueTask WaitUntilAsync(long timestamp, CancellationToken cancellationToken)
    {
        // The timer's resolution is about a millisecond: sleep whole milliseconds, then send. Timer slop is not the
        // store's fault and is not charged (see RecordBatch); only a send delayed by the previous reply is.
        long remainingTicks = timestamp - _time.GetTimestamp();
        long remainingMs = remainingTicks * 1000 / _time.TimestampFrequency;
        if (remainingMs >= 1)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(remainingMs), _time, cancellationToken).ConfigureAwait(false);
        }
    }

    private void RecordBatch(long sent, long measureFromTimestamp)
    {
        double nanosecondsPerTick = 1e9 / _time.TimestampFrequency;
        int measured = 0;
        long idealStart = Math.Max(_intended[0], _idealFreeAt);
        for (int i = 0; i < _batch.Count; i++)
        {
            OperationKind kind = _batch.Kinds[i];
            OperationOutcome outcome = _batch.Outcomes[i];
            if (kind == OperationKind.Insert && outcome == OperationOutcome.Ok)
            {
                _inserts.Complete();
            }

            long completed = _batch.CompletedTimestamps[i];
            if (completed < measureFromTimestamp)
            {
                continue;
            }

            // Open loop: latency is the measured service time plus the wait a client with a perfect timer would have
            // had: from the intended time until the store had answered the previous batch. A stall is charged to every
            // operation it delayed (no coordinated omission); this client's own timer slop is not.
            long start = _settings.OpenLoop ? sent - Math.Max(0, idealStart - _intended[i]) : sent;

            Histograms[(int)kind].Record((long)((completed - start) * nanosecondsPerTick));
            measured++;
            switch (outcome)
            {
                case OperationOutcome.NotFound:
                    NotFound++;
                    break;
                case OperationOutcome.Conflict:
                    Conflicts++;
                    break;
                case OperationOutcome.Error:
                    Errors++;
                    break;
            }
        }

        _idealFreeAt = idealStart + (_batch.CompletedTimestamps[_batch.Count - 1] - sent);
        Measured += measured;
        Volatile.Write(ref _completed, _completed + _batch.Count);
    }
}
