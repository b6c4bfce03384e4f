namespace Lattice.Server.Cluster;

/// <summary>
/// Lets a client event loop hold back the Raft cycle that its sessions' writes ask for until the end of its batch of
/// events, so one cycle (one log write, one fsync under appendfsync always) covers every write the batch read, as
/// Redis's loop flushes its append-only file once per batch before it sleeps. Per thread: only the loop's own
/// thread, while it handles events, defers.
/// </summary>
internal static class CycleDeferral
{
    [ThreadStatic]
    private static bool t_active;

    [ThreadStatic]
    private static bool t_wanted;

    public static void Begin() => t_active = true;

    public static void End() => t_active = false;

    /// <summary>True when the calling thread is a loop inside a batch: the cycle is noted for the batch's end.</summary>
    public static bool TryDefer()
    {
        if (!t_active)
        {
            return false;
        }

        t_wanted = true;
        return true;
    }

    /// <summary>Whether the batch that just ended asked for a cycle (and forgets it).</summary>
    public static bool TakeWanted()
    {
        bool wanted = t_wanted;
        t_wanted = false;
        return wanted;
    }
}
