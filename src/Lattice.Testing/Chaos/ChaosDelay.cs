namespace Lattice.Testing.Chaos;

internal static class ChaosDelay
{
    /// <summary>Waits; false when the run was stopped first (the harness's loops end quietly then).</summary>
    public static async Task<bool> WaitAsync(TimeSpan delay, CancellationToken stop)
    {
        try
        {
            await Task.Delay(delay, stop).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
