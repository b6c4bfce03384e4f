using System.Text;
using Lattice.Resp;

namespace Lattice.Resp.Tests;

public sealed class RequestPeekTests
{
    private static readonly byte[] Request = Encoding.ASCII.GetBytes("*3\r\n$3\r\nSET\r\n$5\r\nk\r\n:x\r\n$0\r\n\r\n*1\r\n");

    [Fact]
    public void Reads_the_parts_of_a_request_and_stops_at_its_end()
    {
        int at = 0;
        Assert.True(RequestPeek.TryReadArrayHeader(Request, ref at, out int count));
        Assert.Equal(3, count);
        var parts = new List<string>();
        for (int i = 0; i < count; i++)
        {
            Assert.True(RequestPeek.TryReadBulk(Request, ref at, out ReadOnlySpan<byte> part));
            parts.Add(Encoding.ASCII.GetString(part));
        }

        // Binary-safe: a bulk may hold CR LF and ':'; the empty bulk is read as empty.
        Assert.Equal(["SET", "k\r\n:x", ""], parts);
        Assert.Equal(Request.Length - 4, at);
    }

    [Fact]
    public void Every_truncation_of_a_request_is_refused_without_moving()
    {
        byte[] whole = Request[..^4];
        for (int length = 0; length < whole.Length; length++)
        {
            ReadOnlySpan<byte> cut = whole.AsSpan(0, length);
            int at = 0;
            bool complete = RequestPeek.TryReadArrayHeader(cut, ref at, out int count);
            for (int i = 0; complete && i < count; i++)
            {
                int before = at;
                complete = RequestPeek.TryReadBulk(cut, ref at, out _);
                Assert.True(complete || at == before, $"a refused bulk moved the position (length {length})");
            }

            Assert.False(complete, $"a request cut to {length} bytes read as complete");
        }
    }

    [Theory]
    [InlineData("$3\r\nGET\r\n")] // a bulk where the header belongs
    [InlineData("*\r\n")]
    [InlineData("*-1\r\n")]
    [InlineData("*1234567890\r\n")] // over nine digits
    [InlineData("*2\n")]
    [InlineData("*2\rx")]
    [InlineData("GET k\r\n")] // inline
    public void A_malformed_array_header_is_refused(string text)
    {
        int at = 0;
        Assert.False(RequestPeek.TryReadArrayHeader(Encoding.ASCII.GetBytes(text), ref at, out _));
        Assert.Equal(0, at);
    }

    [Theory]
    [InlineData("$3\r\nGETX\r\n")] // data longer than declared
    [InlineData("$3\r\nGE\r\nxy")] // data shorter: runs into the next bytes
    [InlineData("$99\r\nx\r\n")] // a length past the buffer
    [InlineData("$2147483647\r\nx\r\n")] // over nine digits
    [InlineData("$999999999\r\n")]
    [InlineData("$-1\r\n")]
    [InlineData(":3\r\n")]
    public void A_malformed_bulk_is_refused(string text)
    {
        int at = 0;
        Assert.False(RequestPeek.TryReadBulk(Encoding.ASCII.GetBytes(text), ref at, out _));
        Assert.Equal(0, at);
    }
}
