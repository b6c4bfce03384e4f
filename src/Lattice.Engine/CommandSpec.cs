namespace Lattice.Engine;

/// <summary>What the dispatcher and COMMAND need to know about one command.</summary>
public sealed class CommandSpec
{
    /// <summary>Lower-case name, as COMMAND reports it.</summary>
    public required string Name { get; init; }

    /// <summary>Redis arity: N means exactly N arguments (name included), −N means at least N.</summary>
    public required int Arity { get; init; }

    public required CommandFlags Flags { get; init; }

    public required CommandHandler Handler { get; init; }

    /// <summary>Position of the first key (0 when the command takes none).</summary>
    public int FirstKey { get; init; }

    /// <summary>Position of the last key; −1 means the last argument.</summary>
    public int LastKey { get; init; }

    public int KeyStep { get; init; } = 1;

    /// <summary>Where the hash fields of a hash command start (its key is at 1).</summary>
    public const int FirstFieldPosition = 2;

    /// <summary>
    /// For a hash command that names fields: they sit at <see cref="FirstFieldPosition"/>, then every FieldStep-th
    /// argument (2 when values follow fields). 0 for every other command. Used only to load fields ahead.
    /// </summary>
    public int FieldStep { get; init; }

    /// <summary>Command group for COMMAND DOCS ("string", "hash", …).</summary>
    public string Group { get; init; } = "generic";

    public string Summary { get; init; } = "";

    /// <summary>
    /// The arguments in <see cref="CommandSyntaxParser"/>'s form ("" when there are none); null only on internal
    /// commands, which COMMAND never shows.
    /// </summary>
    public string? Syntax { get; init; }

    /// <summary>A container's subcommands (CLIENT KILL, CONFIG GET, …), for COMMAND DOCS only.</summary>
    public IReadOnlyList<SubcommandDoc> Subcommands { get; init; } = [];

    private IReadOnlyList<CommandArgument>? _arguments;

    /// <summary>The argument tree, parsed on first use: only COMMAND DOCS asks for it, never the command path.</summary>
    public IReadOnlyList<CommandArgument> Arguments => _arguments ??= CommandSyntaxParser.Parse(Syntax ?? "");

    public bool IsWrite => (Flags & CommandFlags.Write) != 0;

    public bool AcceptsArgumentCount(int count) => Arity >= 0 ? count == Arity : count >= -Arity;

    /// <summary>Position of the last key among <paramref name="argumentCount"/> arguments (below FirstKey when none).</summary>
    public int LastKeyPosition(int argumentCount) => Math.Min(LastKey < 0 ? argumentCount + LastKey : LastKey, argumentCount - 1);
}
