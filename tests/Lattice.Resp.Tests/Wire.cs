using System.Buffers;
using System.Text;

namespace Lattice.Resp.Tests;

/// <summary>The outcome of one parse, with the arguments copied out of the buffer.</summary>
internal sealed record Parsed(ParseStatus Status, int Consumed, string? Error, byte[][] Args)
{
    /// <summary>The arguments as Latin-1 text (one char per byte), for readable assertions.</summary>
    public string[] Text => [.. Args.Select(arg => Wire.Text(arg))];

    /// <summary>Asserts one complete request, without error, that used exactly <paramref name="length"/> bytes.</summary>
    public void AssertCompleteRequest(int length)
    {
        Assert.Equal(ParseStatus.Complete, Status);
        Assert.Null(Error);
        Assert.Equal(length, Consumed);
    }
}

/// <summary>Byte and parsing helpers shared by the codec tests.</summary>
internal static class Wire
{
    /// <summary>One byte per char, so "\xFF" and "\0" are the bytes they look like.</summary>
    public static byte[] Bytes(string text) => Encoding.Latin1.GetBytes(text);

    public static string Text(ReadOnlySpan<byte> bytes) => Encoding.Latin1.GetString(bytes);

    /// <summary>Parses one request with <see cref="RequestParser.TryParse"/> on a private copy of the bytes.</summary>
    public static Parsed Parse(ReadOnlySpan<byte> buffer, RespLimits? limits = null)
    {
        byte[] copy = buffer.ToArray();
        using var args = new ArgumentList();
        return ParseInto(copy, limits ?? RespLimits.Default, args);
    }

    public static Parsed Parse(string text, RespLimits? limits = null) => Parse(Bytes(text), limits);

    /// <summary>Parses one request with <see cref="RequestParser.ParseMultiBulk"/>.</summary>
    public static Parsed ParseMultiBulk(ReadOnlySpan<byte> buffer, RespLimits? limits = null)
    {
        using var args = new ArgumentList();
        ParseStatus status = RequestParser.ParseMultiBulk(buffer, limits ?? RespLimits.Default, args, out int consumed, out string? error);
        return new Parsed(status, consumed, error, CopyArgs(buffer, args, status));
    }

    public static Parsed ParseMultiBulk(string text, RespLimits? limits = null) => ParseMultiBulk(Bytes(text), limits);

    /// <summary>Parses in place (inline unescaping rewrites <paramref name="buffer"/>), reusing <paramref name="args"/>.</summary>
    public static Parsed ParseInto(Span<byte> buffer, RespLimits limits, ArgumentList args)
    {
        ParseStatus status = RequestParser.TryParse(buffer, limits, args, out int consumed, out string? error);
        return new Parsed(status, consumed, error, CopyArgs(buffer, args, status));
    }

    /// <summary>
    /// Parses requests one after another, as a connection does, until one is incomplete or an error; the last
    /// element is that final result.
    /// </summary>
    public static List<Parsed> ParseAll(ReadOnlySpan<byte> buffer, RespLimits? limits = null)
    {
        byte[] copy = buffer.ToArray();
        var results = new List<Parsed>();
        using var args = new ArgumentList();
        int offset = 0;
        while (true)
        {
            Parsed parsed = ParseInto(copy.AsSpan(offset), limits ?? RespLimits.Default, args);
            results.Add(parsed);
            if (parsed.Status != ParseStatus.Complete)
            {
                return results;
            }

            Assert.True(parsed.Consumed > 0, "a complete request consumes bytes");
            offset += parsed.Consumed;
        }
    }

    /// <summary>Encodes <paramref name="args"/> with <see cref="RequestEncoder"/>.</summary>
    public static byte[] Encode(params byte[][] args)
    {
        byte[] joined = [.. args.SelectMany(arg => arg)];
        using var list = new ArgumentList();
        int at = 0;
        foreach (byte[] arg in args)
        {
            list.Add(at, arg.Length);
            at += arg.Length;
        }

        var output = new ArrayBufferWriter<byte>();
        RequestEncoder.Write(output, list.AsArgs(joined));
        return output.WrittenSpan.ToArray();
    }

    public static byte[] Encode(params string[] args) => Encode([.. args.Select(Bytes)]);

    private static byte[][] CopyArgs(ReadOnlySpan<byte> buffer, ArgumentList args, ParseStatus status)
    {
        if (status != ParseStatus.Complete)
        {
            return [];
        }

        CommandArgs view = args.AsArgs(buffer);
        var copies = new byte[view.Count][];
        for (int i = 0; i < view.Count; i++)
        {
            copies[i] = view[i].ToArray();
        }

        return copies;
    }
}
