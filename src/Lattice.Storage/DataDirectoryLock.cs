using System.Globalization;
using System.Text;
using Lattice.Common;

namespace Lattice.Storage;

/// <summary>
/// Holds <c>LOCK</c> open with <see cref="FileShare.None"/> (an exclusive flock on Unix) for the life of the log,
/// so two processes never write the same data directory. The OS drops the lock when the process dies.
/// </summary>
internal sealed class DataDirectoryLock : IDisposable
{
    private readonly FileStream _lockFile;

    private DataDirectoryLock(FileStream lockFile) => _lockFile = lockFile;

    public static DataDirectoryLock Acquire(string dataDirectory)
    {
        Invariant.Check(Path.IsPathFullyQualified(dataDirectory), "the data directory path is absolute");
        string path = DataDirectoryLayout.LockFile(dataDirectory);
        FileStream lockFile;
        try
        {
            lockFile = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e) when (e is not DirectoryNotFoundException and not PathTooLongException)
        {
            throw new DataDirectoryInUseException(dataDirectory, e);
        }

        // The pid inside is only for an operator wondering who holds the lock.
        byte[] owner = Encoding.ASCII.GetBytes(
            string.Create(CultureInfo.InvariantCulture, $"{Environment.ProcessId}\n"));
        lockFile.SetLength(0);
        lockFile.Write(owner);
        lockFile.Flush();
        return new DataDirectoryLock(lockFile);
    }

    public void Dispose() => _lockFile.Dispose();
}
