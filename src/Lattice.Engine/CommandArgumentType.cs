namespace Lattice.Engine;

/// <summary>The argument types COMMAND DOCS reports (Redis 7's names, see <see cref="CommandArgument.TypeName"/>).</summary>
public enum CommandArgumentType
{
    String,
    Key,
    Integer,
    Double,
    Pattern,
    UnixTime,
    PureToken,
    OneOf,
    Block,
}
