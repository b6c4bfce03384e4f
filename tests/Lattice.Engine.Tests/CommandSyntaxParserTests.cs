namespace Lattice.Engine.Tests;

public sealed class CommandSyntaxParserTests
{
    private static readonly CommandTable Table = new KeyValueStateMachine().Commands;

    /// <summary>A compact rendering of a tree: name:type, TOKEN before it, {flags}, (parts).</summary>
    private static string Render(IReadOnlyList<CommandArgument> arguments) => string.Join(' ', arguments.Select(Render));

    private static string Render(CommandArgument argument)
    {
        string text = (argument.Token is null ? "" : argument.Token + " ") + argument.Name + ":" + argument.TypeName;
        if (argument.Flags != CommandArgumentFlags.None)
        {
            text += "{" + argument.Flags + "}";
        }

        return argument.Arguments.Count == 0 ? text : text + "(" + Render(argument.Arguments) + ")";
    }

    private static string Tree(string command) => Render(Table.Find(System.Text.Encoding.ASCII.GetBytes(command))!.Arguments);

    [Fact]
    public void Every_command_has_a_syntax_that_parses()
    {
        foreach (CommandSpec spec in Table.All)
        {
            if ((spec.Flags & CommandFlags.Internal) != 0)
            {
                continue;
            }

            Assert.True(spec.Syntax is not null, $"{spec.Name} has no syntax for COMMAND DOCS");
            _ = spec.Arguments;
            Assert.True(spec.Syntax.Length == 0 || spec.Arguments.Count > 0, spec.Name);
        }
    }

    [Fact]
    public void Set_has_redis_tree()
    {
        Assert.Equal(
            "key:key value:string condition:oneof{Optional}(NX nx:pure-token XX xx:pure-token) GET get:pure-token{Optional} "
            + "expiration:oneof{Optional}(EX seconds:integer PX milliseconds:integer EXAT unix-time-seconds:unix-time "
            + "PXAT unix-time-milliseconds:unix-time KEEPTTL keepttl:pure-token)",
            Tree("set"));
    }

    [Fact]
    public void Zadd_has_named_groups_and_a_repeated_block()
    {
        Assert.Equal(
            "key:key condition:oneof{Optional}(NX nx:pure-token XX xx:pure-token) comparison:oneof{Optional}(GT gt:pure-token LT lt:pure-token) "
            + "CH change:pure-token{Optional} INCR increment:pure-token{Optional} score_member:block{Multiple}(score:double member:string)",
            Tree("zadd"));
    }

    [Fact]
    public void Zrange_limit_is_a_block_with_a_token()
    {
        Assert.Equal(
            "key:key start:string stop:string sortby:oneof{Optional}(BYSCORE byscore:pure-token BYLEX bylex:pure-token) REV rev:pure-token{Optional} "
            + "LIMIT offset_count:block{Optional}(offset:integer count:integer) WITHSCORES withscores:pure-token{Optional}",
            Tree("zrange"));
    }

    [Fact]
    public void Lpos_options_are_tokens_on_their_values()
    {
        Assert.Equal(
            "key:key element:string RANK rank:integer{Optional} COUNT num-matches:integer{Optional} MAXLEN len:integer{Optional}",
            Tree("lpos"));
    }

    [Fact]
    public void Required_groups_repeats_and_keyless_commands()
    {
        Assert.Equal("key:key where:oneof(BEFORE before:pure-token AFTER after:pure-token) pivot:string element:string", Tree("linsert"));
        Assert.Equal("key:key{Multiple}", Tree("del"));
        Assert.Equal("destination:key key:key{Multiple}", Tree("sunionstore"));
        Assert.Equal("", Tree("dbsize"));
    }

    [Fact]
    public void Nested_oneof_repeats_and_names_with_colons_parse_like_client_kill()
    {
        IReadOnlyList<CommandArgument> tree = CommandSyntaxParser.Parse(
            "filter=<ip:port | new-format=<[ID client-id:integer] | [TYPE kind=<NORMAL | PUBSUB>] | [SKIPME yes/no]>...>");
        Assert.Equal(
            "filter:oneof(ip:port:string new-format:oneof{Multiple}(ID client-id:integer{Optional} "
            + "TYPE kind:oneof{Optional}(NORMAL normal:pure-token PUBSUB pubsub:pure-token) SKIPME yes/no:string{Optional}))",
            Render(tree));
    }

    [Fact]
    public void A_repeated_group_repeats_its_token_but_a_token_before_a_repeated_value_does_not()
    {
        Assert.Equal("GET pattern:pattern{Optional, Multiple, MultipleToken}", Render(CommandSyntaxParser.Parse("[GET pattern:pattern]...")));
        Assert.Equal("WEIGHTS weight:integer{Optional, Multiple}", Render(CommandSyntaxParser.Parse("[WEIGHTS weight:integer...]")));
        Assert.Equal("section:string{Optional, Multiple}", Render(CommandSyntaxParser.Parse("[section ...]")));
    }

    [Theory]
    [InlineData("key [NX | XX")]
    [InlineData("key ]")]
    [InlineData("key []")]
    [InlineData("a | b")]
    [InlineData("[NX | XX>")]
    [InlineData("=x")]
    [InlineData("key x=")]
    [InlineData("...")]
    [InlineData("NX...")]
    [InlineData("[LIMIT COUNT]")]
    [InlineData("[NX | ]")]
    public void Malformed_syntax_is_refused(string syntax)
    {
        Assert.Throws<FormatException>(() => CommandSyntaxParser.Parse(syntax));
    }
}
