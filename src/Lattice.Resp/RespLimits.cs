namespace Lattice.Resp;

/// <summary>Protocol limits, with Redis's defaults. Every length read off the wire is checked against one.</summary>
public sealed class RespLimits
{
    /// <summary>proto-max-bulk-len: the largest bulk string a request may carry.</summary>
    public long MaxBulkBytes { get; init; } = 512L * 1024 * 1024;

    /// <summary>The most arguments one request may carry.</summary>
    public int MaxMultiBulkLength { get; init; } = 1024 * 1024;

    /// <summary>The longest inline (telnet-style) command line.</summary>
    public int MaxInlineBytes { get; init; } = 64 * 1024;

    /// <summary>client-query-buffer-limit: the most unparsed request bytes held for one connection.</summary>
    public long MaxQueryBufferBytes { get; init; } = 1024L * 1024 * 1024;

    /// <summary>The deepest aggregate nesting accepted when reading replies.</summary>
    public int MaxNestingDepth { get; init; } = 128;

    /// <summary>client-output-buffer-limit for normal clients: replies held for a client that does not read.</summary>
    public long MaxOutputBufferBytes { get; init; } = 256L * 1024 * 1024;

    public static RespLimits Default { get; } = new();

    /// <summary>Rejects settings that cannot work, with a message naming the setting.</summary>
    public void Validate()
    {
        Require(MaxBulkBytes is > 0 and <= int.MaxValue - 64, "proto-max-bulk-len must be between 1 and 2147483583");
        Require(MaxMultiBulkLength > 0, "proto-max-multibulk-len must be positive");
        Require(MaxInlineBytes > 0, "proto-max-inline-len must be positive");
        Require(MaxQueryBufferBytes >= MaxInlineBytes, "client-query-buffer-limit must be at least proto-max-inline-len");
        Require(MaxNestingDepth > 0, "proto-max-nesting must be positive");
        Require(MaxOutputBufferBytes > 0, "client-output-buffer-limit must be positive");
    }

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new ArgumentException(message);
        }
    }
}
