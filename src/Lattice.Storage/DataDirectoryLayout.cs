namespace Lattice.Storage;

/// <summary>Where things live under a node's data directory: <c>wal/</c>, <c>snapshots/</c> and the <c>LOCK</c> file.</summary>
public static class DataDirectoryLayout
{
    public const string WalDirectoryName = "wal";
    public const string SnapshotDirectoryName = "snapshots";
    public const string LockFileName = "LOCK";

    public static string WalDirectory(string dataDirectory) => Path.Combine(dataDirectory, WalDirectoryName);

    public static string SnapshotDirectory(string dataDirectory) => Path.Combine(dataDirectory, SnapshotDirectoryName);

    public static string LockFile(string dataDirectory) => Path.Combine(dataDirectory, LockFileName);
}
