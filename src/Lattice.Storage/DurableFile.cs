namespace Lattice.Storage;

/// <summary>Small files replaced atomically and durably: temp file, fsync, rename, directory fsync.</summary>
public static class DurableFile
{
    public static void WriteAllText(string path, string text)
    {
        string directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        string temporary = path + ".tmp";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            byte[] bytes = System.Text.Encoding.UTF8.GetBytes(text);
            stream.Write(bytes);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, path, overwrite: true);
        DirectorySync.Flush(directory);
    }
}
