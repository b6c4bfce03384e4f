using System.Text;

namespace Lattice.Engine.Tests;

public sealed class CommandTableTests
{
    private static readonly CommandTable Table = new KeyValueStateMachine().Commands;

    [Theory]
    [InlineData("GET", "get")]
    [InlineData("get", "get")]
    [InlineData("gEt", "get")]
    [InlineData("ZRANGEBYSCORE", "zrangebyscore")]
    [InlineData("incrbyfloat", "incrbyfloat")]
    public void Finds_every_spelling_of_a_name(string sent, string expected)
    {
        Assert.Equal(expected, Table.Find(Encoding.ASCII.GetBytes(sent))?.Name, ignoreCase: true);
    }

    [Theory]
    [InlineData("")]
    [InlineData("GE")]
    [InlineData("GETT")]
    [InlineData("GE{")] // '{' folds like '[' and 'T' like 't': same hash family, different name
    [InlineData("G\u00c9T")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public void Unknown_names_are_not_found(string sent)
    {
        Assert.Null(Table.Find(Encoding.UTF8.GetBytes(sent)));
    }

    [Fact]
    public void Every_registered_command_is_found_by_its_name_in_both_cases()
    {
        Assert.True(Table.All.Count > 100);
        foreach (CommandSpec spec in Table.All)
        {
            Assert.Same(spec, Table.Find(Encoding.ASCII.GetBytes(spec.Name.ToUpperInvariant())));
            Assert.Same(spec, Table.Find(Encoding.ASCII.GetBytes(spec.Name.ToLowerInvariant())));
        }
    }

    [Fact]
    public void A_name_registered_twice_is_refused()
    {
        var table = new CommandTable();
        var spec = new CommandSpec { Name = "demo", Arity = 1, Flags = CommandFlags.Write, Handler = static (_, _) => { } };
        table.Add(spec);
        Assert.Throws<Lattice.Common.InvariantViolationException>(() => table.Add(spec));
    }
}
