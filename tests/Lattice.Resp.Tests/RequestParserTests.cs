using System.Text;
using Lattice.Resp;

namespace Lattice.Resp.Tests;

public sealed class RequestParserTests
{
    [Fact]
    public void Parses_a_multibulk_command()
    {
        byte[] bytes = Encoding.ASCII.GetBytes("*2\r\n$3\r\nGET\r\n$1\r\nk\r\n");
        using var args = new ArgumentList();
        ParseStatus status = RequestParser.TryParse(bytes, RespLimits.Default, args, out int consumed, out string? error);
        Assert.Equal(ParseStatus.Complete, status);
        Assert.Null(error);
        Assert.Equal(bytes.Length, consumed);
        Assert.Equal(2, args.Count);
    }
}
