using static Lattice.Storage.Tests.LogTestKit;

namespace Lattice.Storage.Tests;

public sealed class DataDirectoryLockTests
{
    [Fact]
    public void A_second_open_of_the_same_data_directory_fails_clearly_until_the_first_is_closed()
    {
        using var dir = new TempDirectory();
        using (WriteAheadLog first = Open(dir.Path))
        {
            DataDirectoryInUseException error = Assert.Throws<DataDirectoryInUseException>(() => Open(dir.Path));
            Assert.Contains($"data directory {dir.Path} is in use by another process", error.Message, StringComparison.Ordinal);
            Assert.Equal(dir.Path, error.DataDirectory);
            first.Append(1, 1, 1, [1]);
            first.Flush(sync: true);
        }

        using WriteAheadLog second = Open(dir.Path);
        Assert.Equal(1, second.AppendedIndex(1));
    }
}
