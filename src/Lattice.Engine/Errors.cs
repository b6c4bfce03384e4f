namespace Lattice.Engine;

/// <summary>Redis's error texts, byte for byte, so clients react the same way.</summary>
public static class Errors
{
    public static ReadOnlySpan<byte> WrongType => "WRONGTYPE Operation against a key holding the wrong kind of value"u8;

    public static ReadOnlySpan<byte> NotInteger => "ERR value is not an integer or out of range"u8;

    public static ReadOnlySpan<byte> NotFloat => "ERR value is not a valid float"u8;

    public static ReadOnlySpan<byte> Syntax => "ERR syntax error"u8;

    public static ReadOnlySpan<byte> Overflow => "ERR increment or decrement would overflow"u8;

    public static ReadOnlySpan<byte> NanOrInfinity => "ERR increment would produce NaN or Infinity"u8;

    public static ReadOnlySpan<byte> NoSuchKey => "ERR no such key"u8;

    public static ReadOnlySpan<byte> IndexOutOfRange => "ERR index out of range"u8;

    /// <summary>A push that would take a list past <see cref="ListValue.CountMax"/> elements (nothing is added).</summary>
    public static ReadOnlySpan<byte> ListFull => "ERR list would have more than 2147483646 elements"u8;

    public static ReadOnlySpan<byte> OutOfRangePositive => "ERR value is out of range, must be positive"u8;

    public static ReadOnlySpan<byte> HashValueNotInteger => "ERR hash value is not an integer"u8;

    public static ReadOnlySpan<byte> HashValueNotFloat => "ERR hash value is not a float"u8;

    public static ReadOnlySpan<byte> MinMaxNotFloat => "ERR min or max is not a float"u8;

    public static ReadOnlySpan<byte> MinMaxNotStringRange => "ERR min or max not valid string range item"u8;

    public static ReadOnlySpan<byte> StringTooLong => "ERR string exceeds maximum allowed size (proto-max-bulk-len)"u8;

    public static ReadOnlySpan<byte> OffsetOutOfRange => "ERR offset is out of range"u8;

    public static ReadOnlySpan<byte> InvalidCursor => "ERR invalid cursor"u8;

    /// <summary>"ERR invalid expire time in 'set' command" for the given lower-case command name.</summary>
    public static string InvalidExpireTime(string command) => $"ERR invalid expire time in '{command}' command";

    public static string WrongArity(string command) => $"ERR wrong number of arguments for '{command}' command";
}
