using System.Security.Cryptography;

namespace Lattice.Server.Tests;

/// <summary>SHA-256 of every file under a directory by relative path, to prove a failed start-up changed nothing.</summary>
public static class DirectoryHasher
{
    /// <summary>
    /// Hashes every file except <c>LOCK</c> at the top: the server rewrites the owner pid in it on every start by
    /// design (it holds no data).
    /// </summary>
    public static SortedDictionary<string, string> HashData(string directory)
    {
        var hashes = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (string file in Directory.GetFiles(directory, "*", SearchOption.AllDirectories))
        {
            string relative = Path.GetRelativePath(directory, file);
            if (relative == "LOCK")
            {
                continue;
            }

            hashes[relative] = Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(file)));
        }

        return hashes;
    }
}
