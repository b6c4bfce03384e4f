namespace Lattice.Engine;

/// <summary>One node of a command's argument tree, as COMMAND DOCS describes it; built by <see cref="CommandSyntaxParser"/>.</summary>
public sealed class CommandArgument
{
    public required string Name { get; init; }

    public required CommandArgumentType Type { get; init; }

    /// <summary>The literal word that introduces the argument (EX in EX seconds), or null.</summary>
    public string? Token { get; init; }

    public CommandArgumentFlags Flags { get; init; }

    /// <summary>The alternatives of a oneof, the parts of a block; empty otherwise.</summary>
    public IReadOnlyList<CommandArgument> Arguments { get; init; } = [];

    /// <summary>The type as Redis spells it on the wire.</summary>
    public string TypeName => Type switch
    {
        CommandArgumentType.String => "string",
        CommandArgumentType.Key => "key",
        CommandArgumentType.Integer => "integer",
        CommandArgumentType.Double => "double",
        CommandArgumentType.Pattern => "pattern",
        CommandArgumentType.UnixTime => "unix-time",
        CommandArgumentType.PureToken => "pure-token",
        CommandArgumentType.OneOf => "oneof",
        CommandArgumentType.Block => "block",
        _ => throw new InvalidOperationException($"unknown argument type {Type}"),
    };
}
