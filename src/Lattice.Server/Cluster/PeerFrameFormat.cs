using System.Buffers.Binary;

namespace Lattice.Server.Cluster;

/// <summary>
/// Framing on a peer TCP stream: <c>u32 bodyLength | u8 version | u8 kind | body</c>, where bodyLength counts
/// version, kind and body. The Hello body is <c>u64 clusterId | u64 fromNodeId | u64 toNodeId</c>.
/// </summary>
internal static class PeerFrameFormat
{
    public const byte Version = 1;

    /// <summary>Length prefix, version and kind.</summary>
    public const int HeaderBytes = sizeof(uint) + 2;

    public const int HelloBodyBytes = 3 * sizeof(ulong);

    public const int HelloFrameBytes = HeaderBytes + HelloBodyBytes;

    public static void WriteHeader(Span<byte> destination, byte kind, int bodyBytes)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(destination, (uint)(bodyBytes + 2));
        destination[sizeof(uint)] = Version;
        destination[sizeof(uint) + 1] = kind;
    }

    public static void WriteHello(Span<byte> destination, ulong clusterId, ulong from, ulong to)
    {
        WriteHeader(destination, (byte)PeerFrameKind.Hello, HelloBodyBytes);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[HeaderBytes..], clusterId);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[(HeaderBytes + 8)..], from);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[(HeaderBytes + 16)..], to);
    }

    /// <summary>Parses a whole Hello frame (header included); on failure says why.</summary>
    public static bool TryReadHello(ReadOnlySpan<byte> frame, out ulong clusterId, out ulong from, out ulong to, out string? error)
    {
        clusterId = 0;
        from = 0;
        to = 0;
        uint length = BinaryPrimitives.ReadUInt32LittleEndian(frame);
        if (length != HelloBodyBytes + 2)
        {
            error = $"hello frame length {length}, expected {HelloBodyBytes + 2}";
            return false;
        }

        if (frame[sizeof(uint)] != Version)
        {
            error = $"unsupported frame version {frame[sizeof(uint)]}";
            return false;
        }

        if (frame[sizeof(uint) + 1] != (byte)PeerFrameKind.Hello)
        {
            error = $"expected a hello frame, got kind {frame[sizeof(uint) + 1]}";
            return false;
        }

        clusterId = BinaryPrimitives.ReadUInt64LittleEndian(frame[HeaderBytes..]);
        from = BinaryPrimitives.ReadUInt64LittleEndian(frame[(HeaderBytes + 8)..]);
        to = BinaryPrimitives.ReadUInt64LittleEndian(frame[(HeaderBytes + 16)..]);
        error = null;
        return true;
    }
}
