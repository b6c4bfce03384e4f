namespace Lattice.Resp;

/// <summary>
/// Reads a multibulk request's parts without the full parser, for look-ahead hints (which keys the next requests
/// touch). Every step is bounds-checked and anything unexpected (an incomplete or malformed request, an inline
/// one) makes it return false; the parser proper still reads and judges every request.
/// </summary>
public static class RequestPeek
{
    /// <summary>Digits of a length that fits an int.</summary>
    private const int LengthDigitsMax = 9;

    /// <summary>Reads <c>*count\r\n</c> at <paramref name="at"/>.</summary>
    public static bool TryReadArrayHeader(ReadOnlySpan<byte> buffer, ref int at, out int count) =>
        TryReadLength(buffer, (byte)'*', ref at, out count);

    /// <summary>Reads <c>$length\r\n</c>, the bytes and their <c>\r\n</c> at <paramref name="at"/>.</summary>
    public static bool TryReadBulk(ReadOnlySpan<byte> buffer, ref int at, out ReadOnlySpan<byte> value)
    {
        value = default;
        int next = at;
        if (!TryReadLength(buffer, (byte)'$', ref next, out int length) || length > buffer.Length - next - 2 ||
            buffer[next + length] != (byte)'\r' || buffer[next + length + 1] != (byte)'\n')
        {
            return false;
        }

        value = buffer.Slice(next, length);
        at = next + length + 2;
        return true;
    }

    private static bool TryReadLength(ReadOnlySpan<byte> buffer, byte prefix, ref int at, out int length)
    {
        length = 0;
        int i = at;
        if (i >= buffer.Length || buffer[i] != prefix)
        {
            return false;
        }

        i++;
        int digits = 0;
        while (i < buffer.Length && buffer[i] is >= (byte)'0' and <= (byte)'9')
        {
            if (++digits > LengthDigitsMax)
            {
                return false;
            }

            length = (length * 10) + (buffer[i] - '0');
            i++;
        }

        if (digits == 0 || i + 1 >= buffer.Length || buffer[i] != (byte)'\r' || buffer[i + 1] != (byte)'\n')
        {
            return false;
        }

        at = i + 2;
        return true;
    }
}
